import { LockOutlined, MenuOutlined, ThunderboltOutlined, WalletOutlined } from '@ant-design/icons';
import { Button, Select, Skeleton, Tooltip } from 'antd';
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { useLocale } from '../../i18n/useT.ts';
import { modelLockLines } from '../../lib/chatModels.ts';
import { formatCredits } from '../../lib/credits.ts';
import type { ChatModel } from '../../lib/trpc.ts';
import { trpc } from '../../lib/trpc.ts';
import { formatAxis, formatQuota, overLimitNote, quota } from '../../lib/usage.ts';

const USAGE_PATH = '/usage';

/** One model in the list; a locked one says what unlocks it (in full on hover). */
function ModelOption({ model }: { model: ChatModel }) {
  const { t, locale } = useLocale();
  const label = (
    <span className="model-option" data-testid={`model-option-${model.id}`}>
      <span className="model-option__name">{model.displayName}</span>
      {model.allowed ? null : (
        <LockOutlined className="model-option__lock" aria-label={t('chat.modelLocked')} />
      )}
    </span>
  );
  if (model.allowed) return label;
  const lines = modelLockLines(model, t, locale);
  return (
    <Tooltip
      placement="left"
      styles={{ root: { maxWidth: 380 } }}
      title={
        <div data-testid="model-lock-tooltip">
          <div className="model-lock__title">{t('chat.modelLocked')}</div>
          {lines.map((line) => (
            <div key={line}>{line}</div>
          ))}
        </div>
      }
    >
      <span className="model-option--locked" data-locked="true">
        {label}
        <span className="model-option__unlock">{lines[0]}</span>
      </span>
    </Tooltip>
  );
}

/**
 * The models of `chat.models`. Locked ones stay visible but disabled, with a lock and, on hover,
 * what unlocks them (the upgrade prompt's wording). While an assistant is chosen it decides the
 * model: the picker shows that model, disabled, and says why on hover.
 */
export function ModelPicker({
  models,
  value,
  onChange,
  loading,
  assistant = null,
}: {
  models: ChatModel[];
  value: string | null;
  onChange: (id: string) => void;
  loading: boolean;
  assistant?: { name: string; modelId: string } | null;
}) {
  const { t } = useLocale();
  const nameOf = (id: string) => models.find((m) => m.id === id)?.displayName ?? id;
  const options = models.map((model) => ({
    value: model.id,
    disabled: !model.allowed,
    label: <ModelOption key={model.id} model={model} />,
  }));
  const picker = (
    <Select
      className="model-picker"
      classNames={{ popup: { root: 'model-picker__popup' } }}
      value={(assistant ? assistant.modelId : value) ?? undefined}
      onChange={onChange}
      disabled={assistant !== null}
      options={options}
      loading={loading}
      placeholder={
        loading ? t('app.loading') : models.length > 0 ? t('chat.modelNone') : t('chat.model')
      }
      // The chosen model shows just its name; the list also says what unlocks the locked ones.
      labelRender={({ value: id }) => nameOf(String(id))}
      popupMatchSelectWidth={false}
      aria-label={t('chat.model')}
      data-testid="model-picker"
      data-assistant={assistant ? 'true' : undefined}
    />
  );
  if (!assistant) return picker;
  return (
    <Tooltip
      title={t('chat.modelByAssistant', {
        assistant: assistant.name,
        model: nameOf(assistant.modelId),
      })}
    >
      {/* A disabled control fires no hover events: the wrapper carries the tooltip. */}
      <span className="model-picker__by-assistant" data-testid="model-by-assistant">
        {picker}
      </span>
    </Tooltip>
  );
}

/** "Today: 3 / 20 requests · Balance 9,876 credits", live; a link to the Usage page. */
export function UsageMeter() {
  const { t, locale } = useLocale();
  const summary = trpc.usage.summary.useQuery();
  const data = summary.data;
  if (!data) {
    return summary.isPending ? (
      <Skeleton.Button active size="small" className="chat-meter__loading" />
    ) : null;
  }
  const today = quota(data.day.requests, data.day.limit);
  const quotaText = formatQuota(today.used, today.limit, t, locale);
  const balance = formatCredits(data.credits.balance, locale);
  const todayText = t('chat.meter.today', { quota: quotaText });
  const balanceText = t('chat.meter.balance', { balance });
  // After a downgrade the meter reads "20 / 20", not "21 / 20"; the tooltip says what happened.
  const overNote = overLimitNote(today.used, today.limit, 'day', t, locale);
  // Narrow screens show compact numbers only; the words stay in the label and the tooltip.
  return (
    <Tooltip
      title={
        <>
          {todayText} · {balanceText}
          {overNote ? <div data-testid="chat-meter-over">{overNote}</div> : null}
        </>
      }
    >
      <Link
        to={USAGE_PATH}
        className={`chat-meter chat-meter--${today.status}`}
        aria-label={`${todayText} · ${balanceText} — ${t('chat.meter.link')}`}
        data-testid="chat-meter"
      >
        <span className="chat-meter__part">
          <ThunderboltOutlined />
          <span className="chat-meter__full" data-testid="chat-meter-today">
            {todayText}
          </span>
          <span className="chat-meter__short">{quotaText}</span>
        </span>
        <span className="chat-meter__sep" aria-hidden="true">
          ·
        </span>
        <span className="chat-meter__part">
          <WalletOutlined />
          <span className="chat-meter__full" data-testid="chat-meter-balance">
            {balanceText}
          </span>
          <span className="chat-meter__short">{formatAxis(data.credits.balance, locale)}</span>
        </span>
      </Link>
    </Tooltip>
  );
}

/** Above the messages: the history button (narrow screens), the title, the model, the meter. */
export function ChatHeader({
  title,
  onOpenHistory,
  picker,
  actions,
}: {
  title: string;
  onOpenHistory: (() => void) | null;
  picker: ReactNode;
  /** Buttons beside the title (Export) for an open conversation. */
  actions?: ReactNode;
}) {
  const { t } = useLocale();
  return (
    <div className="chat-header">
      {onOpenHistory ? (
        <Button
          type="text"
          icon={<MenuOutlined />}
          onClick={onOpenHistory}
          aria-label={t('chat.history')}
          data-testid="chat-history-toggle"
        />
      ) : null}
      <div className="chat-header__title" data-testid="chat-title" title={title}>
        {title}
      </div>
      {actions}
      <div className="chat-header__tools">
        {picker}
        <UsageMeter />
      </div>
    </div>
  );
}
