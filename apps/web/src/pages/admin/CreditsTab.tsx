import { ClockCircleOutlined, SyncOutlined, ThunderboltOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Col, Row, Typography } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { formatCredits } from '../../lib/credits.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { trpc } from '../../lib/trpc.ts';
import { RefillRunsCard } from './RefillRunsCard.tsx';

/** "Run refill now", with or without on-demand marks, and what the run did. */
function RunRefillCard() {
  const { t, locale, lookup } = useLocale();
  const utils = trpc.useUtils();
  const [includeOnDemand, setIncludeOnDemand] = useState(false);
  const run = trpc.admin.credits.runRefill.useMutation({
    onSettled: () =>
      Promise.all([
        utils.admin.credits.refillRuns.invalidate(),
        utils.admin.audit.list.invalidate(),
      ]),
  });
  const result = run.data;
  return (
    <Card
      variant="borderless"
      className="run-refill"
      title={
        <span className="card-title-icon">
          <SyncOutlined /> {t('refillRun.title')}
        </span>
      }
    >
      <Typography.Paragraph type="secondary">{t('refillRun.intro')}</Typography.Paragraph>
      <div className="run-refill__controls">
        <Checkbox
          checked={includeOnDemand}
          onChange={(event) => setIncludeOnDemand(event.target.checked)}
          data-testid="refill-include-on-demand"
        >
          {t('refillRun.includeOnDemand')}
          <div className="muted run-refill__hint">{t('refillRun.includeOnDemandHint')}</div>
        </Checkbox>
        <Button
          type="primary"
          icon={<SyncOutlined />}
          loading={run.isPending}
          onClick={() => run.mutate({ includeOnDemand })}
          data-testid="refill-run"
        >
          {t('refillRun.run')}
        </Button>
      </div>
      {run.error ? (
        <Alert
          type="error"
          showIcon
          className="run-refill__result"
          title={describeError(toAppError(run.error), lookup, locale)}
        />
      ) : null}
      {result ? (
        <Alert
          type={result.error ? 'warning' : 'success'}
          showIcon
          className="run-refill__result"
          data-testid="refill-result"
          title={t('refillRun.done', {
            refilled: formatCredits(result.usersRefilled, locale),
            scanned: formatCredits(result.usersScanned, locale),
            credits: formatCredits(result.creditsGranted, locale),
          })}
          description={result.error ? t('refillRun.failed', { error: result.error }) : undefined}
        />
      ) : null}
    </Card>
  );
}

/** The two refill modes, side by side. */
function RefillModesCard() {
  const t = useLocale().t;
  return (
    <Card variant="borderless" title={t('refillModes.title')} className="refill-modes">
      <div className="refill-mode">
        <span className="refill-mode__icon refill-mode__icon--scheduled">
          <ClockCircleOutlined />
        </span>
        <div>
          <div className="refill-mode__title">{t('refillModes.scheduled')}</div>
          <div className="muted">{t('refillModes.scheduledDetail')}</div>
        </div>
      </div>
      <div className="refill-mode">
        <span className="refill-mode__icon refill-mode__icon--on-demand">
          <ThunderboltOutlined />
        </span>
        <div>
          <div className="refill-mode__title">{t('refillModes.onDemand')}</div>
          <div className="muted">{t('refillModes.onDemandDetail')}</div>
        </div>
      </div>
      <Typography.Paragraph type="secondary" className="refill-modes__hint">
        {t('refillModes.policyHint')}
      </Typography.Paragraph>
    </Card>
  );
}

/** Admin → Credits: run a refill now, how refills work, and the log of runs. */
export function CreditsTab() {
  return (
    <div data-testid="admin-credits">
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={14}>
          <RunRefillCard />
        </Col>
        <Col xs={24} lg={10}>
          <RefillModesCard />
        </Col>
        <Col xs={24}>
          <RefillRunsCard />
        </Col>
      </Row>
    </div>
  );
}
