import { keepPreviousData } from '@tanstack/react-query';
import { Flex } from 'antd';
import { useState } from 'react';
import { RevenueView } from '../../components/money/RevenueView.tsx';
import { SubscriptionsTable } from '../../components/money/SubscriptionsTable.tsx';
import { DEFAULT_REVENUE_RANGE, type RevenueRange } from '../../lib/moneyViews.ts';
import { trpc } from '../../lib/trpc.ts';
import { useVendor } from './vendorContext.ts';
import '../../money.css';

/** `/vendor/:tenantId/revenue`: the vendor's own plans' revenue and subscribers (owners, admins). */
export function VendorMoneyTab() {
  const { vendor } = useVendor();
  const [range, setRange] = useState<RevenueRange>(DEFAULT_REVENUE_RANGE);
  const revenue = trpc.vendor.money.revenue.useQuery(
    { tenantId: vendor.id, range },
    { placeholderData: keepPreviousData },
  );
  const subscribers = trpc.vendor.money.subscribers.useQuery({ tenantId: vendor.id });
  return (
    <Flex vertical gap={16} data-testid="vendor-revenue">
      <RevenueView query={revenue} range={range} onRangeChange={setRange} showTenant={false} />
      <SubscriptionsTable query={subscribers} showTenant={false} />
    </Flex>
  );
}
