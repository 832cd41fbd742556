import { ShopOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row, Skeleton, Typography } from 'antd';
import { PageHeader } from '../components/PageHeader.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { useT } from '../i18n/useT.ts';
import { groupByTenant } from '../lib/plans.ts';
import { type CatalogPlan, trpc } from '../lib/trpc.ts';
import { CheckoutNotice } from './plans/CheckoutNotice.tsx';
import { CreditPacksSection } from './plans/CreditPacksSection.tsx';
import { MyMarksCard } from './plans/MyMarksCard.tsx';
import { PlanCard } from './plans/PlanCard.tsx';
import { RedeemCodeCard } from './plans/RedeemCodeCard.tsx';
import { SubscriptionNotices } from './plans/SubscriptionNotices.tsx';

function PlanGrid({ plans }: { plans: CatalogPlan[] }) {
  return (
    <Row gutter={[16, 16]} align="stretch">
      {plans.map((plan) => (
        <Col key={plan.id} xs={24} md={12} xl={6} className="plan-col">
          <PlanCard plan={plan} />
        </Col>
      ))}
    </Row>
  );
}

function LoadingGrid() {
  return (
    <Row gutter={[16, 16]}>
      {[1, 2, 3, 4].map((key) => (
        <Col key={key} xs={24} md={12} xl={6}>
          <Card variant="borderless">
            <Skeleton active paragraph={{ rows: 6 }} />
          </Card>
        </Col>
      ))}
    </Row>
  );
}

/**
 * Checkout's return notice, my marks, the platform's plans, each vendor's plans, then credit packs.
 * Live via member events.
 */
export function PlansPage() {
  const t = useT();
  const catalog = trpc.membership.catalog.useQuery();
  const plans = catalog.data ?? [];
  const platform = plans.filter((plan) => plan.tenantKind === 'platform');
  const vendors = groupByTenant(plans.filter((plan) => plan.tenantKind === 'vendor'));

  return (
    <div data-testid="plans-page">
      <PageHeader title={t('plans.title')} subtitle={t('plans.subtitle')} />
      <CheckoutNotice />
      <SubscriptionNotices />
      <MyMarksCard />
      <RedeemCodeCard />
      <section className="plans-section" data-testid="platform-plans">
        <Typography.Title level={4} className="plans-section__title">
          {t('plans.platformTitle')}
        </Typography.Title>
        <Typography.Text type="secondary">{t('plans.platformSubtitle')}</Typography.Text>
        <div className="plans-section__body">
          <QueryError error={catalog.error} onRetry={() => void catalog.refetch()} />
          {catalog.isPending ? <LoadingGrid /> : null}
          {catalog.data && platform.length === 0 ? (
            <Card variant="borderless">
              <Empty description={t('plans.empty')} />
            </Card>
          ) : null}
          <PlanGrid plans={platform} />
        </div>
      </section>
      {catalog.data ? (
        <section className="plans-section" data-testid="vendor-plans">
          <Typography.Title level={4} className="plans-section__title">
            {t('plans.vendorTitle')}
          </Typography.Title>
          <Typography.Text type="secondary">{t('plans.vendorSubtitle')}</Typography.Text>
          {vendors.length === 0 ? (
            <Card variant="borderless" className="plans-section__body">
              <Empty description={t('plans.vendorEmpty')} />
            </Card>
          ) : null}
          {vendors.map((vendor) => (
            <div key={vendor.tenantId} className="plans-section__body" data-testid="vendor-group">
              <div className="vendor-heading">
                <ShopOutlined /> {vendor.tenantName}
              </div>
              <PlanGrid plans={vendor.rows} />
            </div>
          ))}
        </section>
      ) : null}
      <CreditPacksSection />
    </div>
  );
}
