import {
  ClockCircleOutlined,
  CrownOutlined,
  ExclamationCircleOutlined,
  ScissorOutlined,
  StopOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import { Button, Tag, Tooltip } from 'antd';
import { type MouseEvent, type ReactNode, useEffect } from 'react';
import { useNavigate } from 'react-router';
import { PLANS_PATH, UpgradePrompt } from '../../components/UpgradePrompt.tsx';
import { useLocale } from '../../i18n/useT.ts';
import type { ChatTurn } from '../../lib/chat.ts';
import {
  cutOffHeadline,
  reasonToDenial,
  refusalView,
  type StatusTag,
  storedEndReason,
} from '../../lib/chatNotices.ts';
import { formatCountdown, msUntil } from '../../lib/countdown.ts';
import { unlockText } from '../../lib/denial.ts';
import { describeError } from '../../lib/errorMessages.ts';
import type { StopReason } from '../../lib/trpc.ts';
import { trpc } from '../../lib/trpc.ts';
import { useNow } from '../../lib/useNow.ts';

const USAGE_PATH = '/usage';

function Notice({
  tone,
  icon,
  title,
  children,
  action,
  testId,
  code,
}: {
  tone: 'warning' | 'danger' | 'neutral';
  icon: ReactNode;
  title: ReactNode;
  children?: ReactNode;
  action?: ReactNode;
  testId: string;
  code?: string;
}) {
  return (
    <div
      className={`chat-notice chat-notice--${tone}`}
      role="alert"
      data-testid={testId}
      data-code={code}
    >
      <span className="chat-notice__icon" aria-hidden="true">
        {icon}
      </span>
      <div className="chat-notice__body">
        <div className="chat-notice__title">{title}</div>
        {children}
      </div>
      {action ? <div className="chat-notice__action">{action}</div> : null}
    </div>
  );
}

/** A button that is a real link (open in a new tab works) but navigates inside the app. */
function LinkButton({
  to,
  icon,
  testId,
  primary = false,
  children,
}: {
  to: string;
  icon: ReactNode;
  testId: string;
  primary?: boolean;
  children: ReactNode;
}) {
  const navigate = useNavigate();
  const go = (event: MouseEvent) => {
    event.preventDefault();
    navigate(to);
  };
  return (
    <Button
      type={primary ? 'primary' : 'default'}
      href={to}
      onClick={go}
      icon={icon}
      data-testid={testId}
    >
      {children}
    </Button>
  );
}

/** "Back in 19h 53m", ticking (the headline already says the time); refreshes usage at zero. */
function BackIn({ resetsAt, onPassed }: { resetsAt: string; onPassed: () => void }) {
  const { t } = useLocale();
  const left = msUntil(resetsAt, useNow(1000)) ?? 0;
  const passed = left <= 0;
  useEffect(() => {
    if (passed) onPassed();
  }, [passed, onPassed]);
  return (
    <div className="chat-notice__detail" data-testid="chat-refusal-reset">
      <ClockCircleOutlined />{' '}
      {passed ? t('usage.resetsNow') : t('chat.refused.backIn', { time: formatCountdown(left, t) })}
    </div>
  );
}

/** In place of an answer the server refused: what happened, and the way forward. */
export function RefusalNotice({ reason, modelName }: { reason: StopReason; modelName: string }) {
  const { t, locale, lookup } = useLocale();
  const utils = trpc.useUtils();
  const view = refusalView(reason, lookup, locale);
  if (view.kind === 'upgrade') {
    return (
      <div data-testid="chat-refusal" data-code={reason.code}>
        <UpgradePrompt denial={reasonToDenial(reason, modelName)} />
      </div>
    );
  }
  const action =
    view.kind === 'quota' ? (
      <LinkButton to={PLANS_PATH} icon={<CrownOutlined />} testId="chat-refusal-plans">
        {t('chat.refused.seePlans')}
      </LinkButton>
    ) : view.kind === 'credits' ? (
      <LinkButton to={USAGE_PATH} icon={<WalletOutlined />} testId="chat-refusal-usage" primary>
        {t('chat.refused.seeCredits')}
      </LinkButton>
    ) : null;
  return (
    <Notice
      tone={view.kind === 'other' ? 'danger' : 'warning'}
      icon={
        view.kind === 'quota' || view.kind === 'rate' ? <ClockCircleOutlined /> : <StopOutlined />
      }
      title={view.text}
      action={action}
      testId="chat-refusal"
      code={reason.code}
    >
      {view.resetsAt ? (
        <BackIn resetsAt={view.resetsAt} onPassed={() => void utils.usage.invalidate()} />
      ) : null}
      {/* A refusal that says what would lift it (more requests a day) lists it as the prompt does. */}
      {(reason.unlock ?? []).map((unlock) => (
        <div key={unlock.markKey} className="chat-notice__detail" data-testid="upgrade-unlock">
          {unlockText(unlock, t, locale)}
        </div>
      ))}
    </Notice>
  );
}

/** Below a partial answer the server cut off: why, and (losing the model) what unlocks it again. */
export function CutOffNotice({ turn, modelName }: { turn: ChatTurn; modelName: string }) {
  const { t, locale, lookup } = useLocale();
  const reason = turn.reason;
  if (!reason) return null;
  const headline = cutOffHeadline(reason, turn.heldMarks, modelName, t, lookup, locale);
  const denial = reasonToDenial(reason, modelName);
  return (
    <div className="chat-cut-off" data-testid="chat-cut-off" data-code={reason.code}>
      {denial ? (
        <UpgradePrompt denial={denial} title={headline} />
      ) : (
        <Notice
          tone="warning"
          icon={<ScissorOutlined />}
          title={headline}
          testId="chat-cut-off-reason"
        >
          <div className="muted">{t('chat.cutOff.detail')}</div>
        </Notice>
      )}
    </div>
  );
}

/** An answer that failed: the model, the connection or the request; offers to send it again. */
export function FailureNotice({ turn, onRetry }: { turn: ChatTurn; onRetry?: () => void }) {
  const { t, locale, lookup } = useLocale();
  const failure = turn.failure;
  const text =
    failure?.kind === 'request'
      ? describeError(failure.error, lookup, locale)
      : failure?.kind === 'connection'
        ? t('chat.error.connection')
        : t('chat.error.model');
  return (
    <Notice
      tone="danger"
      icon={<ExclamationCircleOutlined />}
      title={text}
      testId="chat-failure"
      action={
        onRetry ? (
          <Button onClick={onRetry} data-testid="chat-retry">
            {t('chat.error.retry')}
          </Button>
        ) : undefined
      }
    />
  );
}

const TAG_COLORS: Record<StatusTag, string> = {
  cut_off: 'orange',
  aborted: 'default',
  error: 'red',
};

/** A small tag on an answer that did not complete; a cut-off says why on hover. */
export function AnswerStatusTag({ status, endReason }: { status: StatusTag; endReason?: unknown }) {
  const { t, lookup } = useLocale();
  const label =
    status === 'cut_off'
      ? t('chat.status.cut_off')
      : status === 'aborted'
        ? t('chat.status.aborted')
        : t('chat.status.error');
  const tag = (
    <Tag
      color={TAG_COLORS[status]}
      className="chat-status-tag"
      data-testid="answer-status"
      data-status={status}
    >
      {label}
    </Tag>
  );
  const why = storedEndReason(endReason, lookup);
  return why ? <Tooltip title={why}>{tag}</Tooltip> : tag;
}
