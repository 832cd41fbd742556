import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Card, Skeleton, Typography } from 'antd';
import { EntitlementList } from '../../components/EntitlementList.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useT } from '../../i18n/useT.ts';
import type { RouterOutputs } from '../../lib/trpc.ts';

export type Ceiling = RouterOutputs['vendor']['ceiling'];

/**
 * "What the platform delegates to you": the vendor's ceiling, read-only. The vendor's marks may
 * grant at most this (the server refuses more on save, and clamps at merge).
 */
export function CeilingCard({
  ceiling,
  loading,
  error,
  onRetry,
}: {
  ceiling: Ceiling | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
}) {
  const t = useT();
  return (
    <Card
      variant="borderless"
      size="small"
      title={
        <span className="card-title-icon">
          <SafetyCertificateOutlined /> {t('ceiling.vendorTitle')}
        </span>
      }
      className="ceiling-card"
      data-testid="vendor-ceiling"
    >
      <Typography.Paragraph type="secondary" className="card-lead">
        {t('ceiling.vendorLead')}
      </Typography.Paragraph>
      <QueryError error={error} onRetry={onRetry} />
      {loading ? <Skeleton active paragraph={{ rows: 3 }} /> : null}
      {ceiling ? (
        <>
          <EntitlementList entitlements={ceiling} detailed />
          <Typography.Text type="secondary" data-testid="ceiling-trial">
            {ceiling.trialDays > 0
              ? t('ceiling.trialUpTo', { days: ceiling.trialDays })
              : t('ceiling.noTrials')}
          </Typography.Text>
        </>
      ) : null}
    </Card>
  );
}
