import { keepPreviousData } from '@tanstack/react-query';
import { Flex } from 'antd';
import { useState } from 'react';
import { RevenueView } from '../../components/money/RevenueView.tsx';
import { SubscriptionsTable } from '../../components/money/SubscriptionsTable.tsx';
import { DEFAULT_REVENUE_RANGE, type RevenueRange } from '../../lib/moneyViews.ts';
import { trpc } from '../../lib/trpc.ts';
import '../../money.css';

/**
 * `/admin/revenue`: money received through Stripe across the platform and every vendor, and the
 * subscriptions holding a plan now. The event log and credit packs stay under Payments.
 */
export function RevenueTab() {
  const [range, setRange] = useState<RevenueRange>(DEFAULT_REVENUE_RANGE);
  const revenue = trpc.admin.money.revenue.useQuery(
    { range },
    { placeholderData: keepPreviousData },
  );
  const subscriptions = trpc.admin.money.subscriptions.useQuery();
  return (
    <Flex vertical gap={16} data-testid="admin-revenue">
      <RevenueView query={revenue} range={range} onRangeChange={setRange} showTenant />
      <SubscriptionsTable query={subscriptions} showTenant />
    </Flex>
  );
}
