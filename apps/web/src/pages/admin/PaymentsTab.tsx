import { Flex } from 'antd';
import '../../models.css';
import { CreditPacksCard } from './CreditPacksCard.tsx';
import { RedemptionCodesCard } from './RedemptionCodesCard.tsx';
import { StripeEventsCard } from './StripeEventsCard.tsx';

/**
 * `/admin/payments`: what the platform sells besides plans (credit packs, each linked to a
 * Stripe price), redemption codes (the offline channel), and what Stripe has told it (the webhook event log). Plans link their prices in
 * the Plans tab.
 */
export function PaymentsTab() {
  return (
    <Flex vertical gap={16} data-testid="admin-payments">
      <CreditPacksCard />
      <RedemptionCodesCard />
      <StripeEventsCard />
    </Flex>
  );
}
