import { EyeOutlined, LoadingOutlined } from '@ant-design/icons';
import { keepPreviousData } from '@tanstack/react-query';
import { Form, Tag } from 'antd';
import { type ReactNode, useMemo } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatCount } from '../../lib/money.ts';
import { previewSentences, type RefillFormValues, refillFromForm } from '../../lib/refillPolicy.ts';
import { type RefillPolicy, trpc } from '../../lib/trpc.ts';
import { useDebouncedValue } from '../../lib/useDebouncedValue.ts';

const DEBOUNCE_MS = 400;

/**
 * What the policy being edited would do for the mark's current holders, recomputed by the server
 * (`admin.credits.previewRefill`) a moment after the admin stops typing. Platform admins only.
 */
export function RefillPreviewBox({ markId }: { markId: string | null }) {
  const { t, locale, lookup } = useLocale();
  const form = Form.useFormInstance();
  const values = Form.useWatch<RefillFormValues | undefined>('refill', { form, preserve: true });
  const policy = refillFromForm(values);
  const debouncedKey = useDebouncedValue(policy ? JSON.stringify(policy) : null, DEBOUNCE_MS);
  const debounced = useMemo(
    () => (debouncedKey ? (JSON.parse(debouncedKey) as RefillPolicy) : null),
    [debouncedKey],
  );
  const enabled = markId !== null && debounced !== null;
  const preview = trpc.admin.credits.previewRefill.useQuery(
    { markId: markId ?? '', policy: debounced as RefillPolicy },
    { enabled, placeholderData: keepPreviousData, retry: false },
  );
  const settling =
    policy !== undefined && (debouncedKey !== JSON.stringify(policy) || preview.isFetching);

  const body = (): ReactNode => {
    if (markId === null) return <span className="muted">{t('refillPreview.newMark')}</span>;
    if (policy === undefined) return <span className="muted">{t('refillPreview.incomplete')}</span>;
    if (preview.error) {
      return (
        <span className="refill-preview__error">
          {describeError(toAppError(preview.error), lookup, locale)}
        </span>
      );
    }
    if (!preview.data) return <span className="muted">{t('refillPreview.loading')}</span>;
    return (
      <ul className="refill-preview__lines">
        {previewSentences(preview.data, debounced?.cap, t, locale).map((sentence) => (
          <li key={sentence} data-testid="refill-preview-line">
            {sentence}
          </li>
        ))}
      </ul>
    );
  };

  return (
    <div className="refill-preview" data-testid="refill-preview" aria-live="polite">
      <div className="refill-preview__head">
        <span className="card-title-icon">
          {settling ? <LoadingOutlined /> : <EyeOutlined />} {t('refillPreview.title')}
        </span>
        {preview.data && preview.data.holders > 0 && policy !== undefined && markId !== null ? (
          <Tag className="refill-preview__holders">
            {t('refillPreview.holders', { count: formatCount(preview.data.holders, locale) })}
          </Tag>
        ) : null}
      </div>
      {body()}
    </div>
  );
}
