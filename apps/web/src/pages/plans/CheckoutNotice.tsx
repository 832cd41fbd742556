import { Alert } from 'antd';
import { useSearchParams } from 'react-router';
import { useT } from '../../i18n/useT.ts';
import { checkoutReturn } from '../../lib/billing.ts';

/**
 * What Checkout's return says. Success means Stripe took the money; the plan itself arrives with
 * the webhook a moment later (the member-events stream refreshes the page), so the notice says
 * exactly that rather than pretending the plan is already here.
 */
export function CheckoutNotice() {
  const t = useT();
  const [params, setParams] = useSearchParams();
  const outcome = checkoutReturn(`?${params.toString()}`);
  if (!outcome) return null;
  const dismiss = () =>
    setParams(
      (current) => {
        const next = new URLSearchParams(current);
        next.delete('checkout');
        next.delete('session_id');
        return next;
      },
      { replace: true },
    );
  return (
    <Alert
      className="page-alert"
      type={outcome === 'success' ? 'success' : 'info'}
      showIcon
      closable={{ onClose: dismiss }}
      title={t(outcome === 'success' ? 'checkout.success' : 'checkout.cancelled')}
      data-testid={`checkout-${outcome}`}
    />
  );
}
