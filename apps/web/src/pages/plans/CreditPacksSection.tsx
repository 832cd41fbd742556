import { ThunderboltOutlined } from '@ant-design/icons';
import { App, Button, Card, Col, Row, Typography } from 'antd';
import { useVerifiedEmailErrorHandler } from '../../components/VerifyEmailNotice.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatCredits } from '../../lib/credits.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatMoney } from '../../lib/money.ts';
import { trpc } from '../../lib/trpc.ts';

/** The platform's credit packs that Stripe sells, each a one-off Checkout. Hidden when none. */
export function CreditPacksSection() {
  const { t, locale, lookup } = useLocale();
  const { message } = App.useApp();
  const status = trpc.billing.status.useQuery();
  const onError = useVerifiedEmailErrorHandler(
    (error: unknown) => void message.error(describeError(toAppError(error), lookup)),
  );
  const checkout = trpc.billing.checkout.useMutation({
    onSuccess: ({ url }) => window.location.assign(url),
    onError,
  });
  const packs = status.data?.packs ?? [];
  if (packs.length === 0) return null;
  const busy = checkout.isPending || checkout.isSuccess ? checkout.variables : undefined;
  return (
    <section className="plans-section" data-testid="credit-packs">
      <Typography.Title level={4} className="plans-section__title">
        {t('creditPacks.title')}
      </Typography.Title>
      <Typography.Text type="secondary">{t('creditPacks.subtitle')}</Typography.Text>
      <Row gutter={[16, 16]} className="plans-section__body">
        {packs.map((pack) => (
          <Col key={pack.id} xs={24} md={12} xl={6}>
            <Card variant="borderless" data-testid="credit-pack" data-pack-name={pack.name}>
              <Typography.Text strong>{pack.name}</Typography.Text>
              <div className="credit-pack__credits">
                <ThunderboltOutlined />{' '}
                {t('creditPacks.credits', { credits: formatCredits(pack.credits, locale) })}
              </div>
              <Button
                type="primary"
                block
                loading={busy !== undefined && 'packId' in busy && busy.packId === pack.id}
                disabled={busy !== undefined}
                onClick={() => checkout.mutate({ packId: pack.id })}
                data-testid="pack-buy"
              >
                {t('creditPacks.buy', {
                  price: formatMoney(pack.priceMinor, pack.currency, locale),
                })}
              </Button>
            </Card>
          </Col>
        ))}
      </Row>
    </section>
  );
}
