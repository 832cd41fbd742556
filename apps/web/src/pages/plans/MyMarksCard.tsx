import { SafetyCertificateOutlined } from '@ant-design/icons';
import { Card, Col, Empty, Row, Skeleton, Tag, Typography } from 'antd';
import { useCallback } from 'react';
import { Countdown } from '../../components/Countdown.tsx';
import { EntitlementList } from '../../components/EntitlementList.tsx';
import { SourceTag } from '../../components/MembershipTags.tsx';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { isEndingSoon } from '../../lib/countdown.ts';
import { formatDateTime } from '../../lib/format.ts';
import { PLATFORM_TENANT_ID } from '../../lib/plans.ts';
import { type HeldMark, trpc } from '../../lib/trpc.ts';
import { useNow } from '../../lib/useNow.ts';

function byTenantThenName(a: HeldMark, b: HeldMark): number {
  const platformFirst =
    Number(b.tenantId === PLATFORM_TENANT_ID) - Number(a.tenantId === PLATFORM_TENANT_ID);
  return platformFirst || a.markName.localeCompare(b.markName);
}

/** The marks the member holds now (source, end, a countdown near the end) and what they grant. */
export function MyMarksCard() {
  const { t, locale } = useLocale();
  const utils = trpc.useUtils();
  const mine = trpc.membership.mine.useQuery();
  // Re-render every 30 s so a mark entering its last three days gets its countdown; read the
  // clock now, so data that just arrived is judged against the current time.
  useNow(30_000);
  const now = Date.now();
  const onEnd = useCallback(() => {
    void utils.membership.mine.invalidate();
    void utils.membership.catalog.invalidate();
  }, [utils]);
  const marks = [...(mine.data?.marks ?? [])].sort(byTenantThenName);

  return (
    <Card
      variant="borderless"
      title={
        <span className="card-title-icon">
          <SafetyCertificateOutlined /> {t('myMarks.title')}
        </span>
      }
      extra={mine.data ? <Tag className="count-tag">{marks.length}</Tag> : null}
      className="my-marks"
      data-testid="my-marks"
    >
      <QueryError error={mine.error} onRetry={() => void mine.refetch()} />
      {mine.isPending ? <Skeleton active paragraph={{ rows: 3 }} /> : null}
      {mine.data ? (
        <Row gutter={[32, 16]}>
          <Col xs={24} lg={14}>
            {marks.length === 0 ? (
              <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('myMarks.empty')} />
            ) : (
              <ul className="held-marks">
                {marks.map((mark) => (
                  <li
                    key={mark.markId}
                    className="held-mark"
                    data-testid="held-mark"
                    data-mark-key={mark.markKey}
                  >
                    <div className="held-mark__main">
                      <Typography.Text strong>{mark.markName}</Typography.Text>
                      <Typography.Text code>{mark.markKey}</Typography.Text>
                      {mark.tenantId === PLATFORM_TENANT_ID ? null : (
                        <span className="muted">· {mark.tenantName}</span>
                      )}
                    </div>
                    <div className="held-mark__meta">
                      <SourceTag source={mark.source} />
                      <span className="held-mark__expiry" data-testid="held-mark-expiry">
                        {mark.expiresAt
                          ? t('myMarks.ends', { date: formatDateTime(mark.expiresAt, locale) })
                          : t('myMarks.noEnd')}
                      </span>
                      {isEndingSoon(mark.expiresAt, now) && mark.expiresAt ? (
                        <Countdown expiresAt={mark.expiresAt} onEnd={onEnd} />
                      ) : null}
                    </div>
                  </li>
                ))}
              </ul>
            )}
          </Col>
          <Col xs={24} lg={10}>
            <div className="my-marks__now">
              <div className="plan-card__section">{t('myMarks.canUse')}</div>
              <EntitlementList entitlements={mine.data.entitlements} detailed />
            </div>
          </Col>
        </Row>
      ) : null}
    </Card>
  );
}
