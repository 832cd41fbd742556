import { Alert, Button } from 'antd';
import { useLocale } from '../i18n/useT.ts';
import { toDenial } from '../lib/denial.ts';
import { describeError } from '../lib/errorMessages.ts';
import { toAppError } from '../lib/errors.ts';
import { UpgradePrompt } from './UpgradePrompt.tsx';

/**
 * How a page shows a failed query: a denial becomes an upgrade prompt (what unlocks it), anything
 * else a translated alert with a retry button.
 */
export function QueryError({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t, locale, lookup } = useLocale();
  if (!error) return null;
  if (toDenial(error)) return <UpgradePrompt error={error} />;
  return (
    <Alert
      type="error"
      showIcon
      className="page-alert"
      data-testid="query-error"
      title={describeError(toAppError(error), lookup, locale)}
      action={
        onRetry ? (
          <Button size="small" onClick={onRetry}>
            {t('app.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}
