import {
  BulbOutlined,
  CheckOutlined,
  CopyOutlined,
  EditOutlined,
  QuestionCircleOutlined,
  SwapOutlined,
  WalletOutlined,
} from '@ant-design/icons';
import Bubble, { type BubbleItemType, type BubbleListProps } from '@ant-design/x/es/bubble';
import Prompts, { type PromptsItemType } from '@ant-design/x/es/prompts';
import Welcome from '@ant-design/x/es/welcome';
import { App, Avatar, Button, Tooltip } from 'antd';
import { type ReactNode, useEffect, useState } from 'react';
import { LogoMark } from '../../components/Logo.tsx';
import { AnswerMarkdown } from '../../components/markdown/AnswerMarkdown.tsx';
import type { PlainMessageKey } from '../../i18n/translate.ts';
import { useLocale } from '../../i18n/useT.ts';
import {
  type Alternatives,
  type AskedPrompt,
  type ChatTurn,
  hasTools,
  type ThreadItem,
} from '../../lib/chat.ts';
import { statusTag } from '../../lib/chatNotices.ts';
import { copyText } from '../../lib/clipboard.ts';
import { formatCredits } from '../../lib/credits.ts';
import { testId } from '../../lib/testId.ts';
import type { StoredMessage } from '../../lib/trpc.ts';
import { AnswerStatusTag, CutOffNotice, FailureNotice, RefusalNotice } from './ChatNotices.tsx';
import { PromptImages } from './PromptImages.tsx';
import { AnswerActions, EditPromptButton } from './TurnActions.tsx';
import { TurnToolTags } from './TurnToolTags.tsx';

const SUGGESTIONS: Array<{
  key: string;
  label: PlainMessageKey;
  text: PlainMessageKey;
  icon: ReactNode;
}> = [
  {
    key: 'plans',
    label: 'chat.prompt.plans.label',
    text: 'chat.prompt.plans.text',
    icon: <QuestionCircleOutlined />,
  },
  {
    key: 'credits',
    label: 'chat.prompt.credits.label',
    text: 'chat.prompt.credits.text',
    icon: <WalletOutlined />,
  },
  {
    key: 'write',
    label: 'chat.prompt.write.label',
    text: 'chat.prompt.write.text',
    icon: <EditOutlined />,
  },
  {
    key: 'explain',
    label: 'chat.prompt.explain.label',
    text: 'chat.prompt.explain.text',
    icon: <BulbOutlined />,
  },
];

/** A new chat: a greeting and a few prompts to start from. */
export function ChatWelcome({
  onPick,
  disabled,
}: {
  onPick: (text: string) => void;
  disabled: boolean;
}) {
  const { t } = useLocale();
  const items: PromptsItemType[] = SUGGESTIONS.map((s) => ({
    key: s.key,
    icon: s.icon,
    label: t(s.label),
    description: t(s.text),
    disabled,
  }));
  return (
    <div className="chat-welcome" data-testid="chat-welcome">
      <Welcome
        variant="borderless"
        icon={<LogoMark size={48} />}
        title={t('chat.welcome.title')}
        description={t('chat.welcome.detail')}
      />
      <Prompts
        title={t('chat.prompts.title')}
        items={items}
        wrap
        className="chat-welcome__prompts"
        onItemClick={({ data }) => {
          const found = SUGGESTIONS.find((s) => s.key === data.key);
          if (found) onPick(t(found.text));
        }}
        data-testid="chat-prompts"
      />
    </div>
  );
}

/** Copies an answer's markdown source (what the model wrote, not the rendered text). */
function CopyAnswer({ text }: { text: string }) {
  const { t } = useLocale();
  const { message } = App.useApp();
  const [copied, setCopied] = useState(false);
  useEffect(() => {
    if (!copied) return;
    const timer = window.setTimeout(() => setCopied(false), 2000);
    return () => window.clearTimeout(timer);
  }, [copied]);
  return (
    <Tooltip title={copied ? t('answer.copied') : t('answer.copy')}>
      <Button
        type="text"
        size="small"
        icon={copied ? <CheckOutlined /> : <CopyOutlined />}
        aria-label={t('answer.copy')}
        onClick={() =>
          void copyText(text).then((ok) =>
            ok ? setCopied(true) : void message.error(t('answer.copyFailed')),
          )
        }
        data-testid="answer-copy"
      />
    </Tooltip>
  );
}

function AnswerMeta({
  modelName,
  charged,
  text,
  children,
}: {
  modelName: string;
  charged: number | null;
  /** The answer's markdown, for Copy; none while nothing was written. */
  text: string;
  children?: ReactNode;
}) {
  const { t, locale } = useLocale();
  return (
    <div className="chat-answer-meta">
      {text ? <CopyAnswer text={text} /> : null}
      {children}
      <span>{modelName}</span>
      {charged !== null ? (
        <span data-testid="answer-charged">
          {t('chat.charged', { credits: formatCredits(charged, locale) })}
        </span>
      ) : null}
    </div>
  );
}

export interface ThreadProps {
  items: ThreadItem[];
  modelName: (id: string) => string;
  userInitial: string;
  onRetry: (turn: ChatTurn) => void;
  /** Sends a stored failed answer's prompt again, as it was sent (`modelId`: the answer's). */
  onRetryStored: (prompt: AskedPrompt, modelId: string | null) => void;
  /** An answer is being written: the turn actions wait. */
  busy: boolean;
  /** Shown answers with other answers to the same prompt (decision 020). */
  alternatives: ReadonlyMap<string, Alternatives>;
  onShowAnswer: (answerId: string) => void;
  onRegenerate: (prompt: AskedPrompt, modelId: string | null) => void;
  onEdit: (prompt: AskedPrompt, text: string) => void;
}

/** The flip and Regenerate under an answer (Regenerate on the latest prompt's answer only). */
function answerActions(
  props: ThreadProps,
  answerId: string | null,
  prompt: AskedPrompt | null,
  modelId: string | null,
  latestPromptId: string | null,
) {
  const canRegenerate = !!prompt?.id && prompt.id === latestPromptId;
  if (!canRegenerate && !(answerId && props.alternatives.has(answerId))) return null;
  return (
    <AnswerActions
      answerId={answerId}
      alternatives={props.alternatives}
      canRegenerate={canRegenerate}
      onShow={props.onShowAnswer}
      onRegenerate={() => prompt && props.onRegenerate(prompt, modelId)}
      busy={props.busy}
    />
  );
}

/** One live turn's answer, and the notice that goes with its ending. */
function turnBubbles(
  turn: ChatTurn,
  stored: StoredMessage | null,
  props: ThreadProps,
  t: ReturnType<typeof useLocale>['t'],
  actions: ReactNode,
) {
  const name = props.modelName(turn.model);
  const answer = (extra: Partial<BubbleItemType>): BubbleItemType => ({
    key: turn.requestId,
    role: 'ai',
    content: turn.answer,
    header: turn.fallbackFrom ? (
      <div className="chat-answer-fallback" data-testid="chat-fallback">
        <SwapOutlined />{' '}
        {t('chat.fallback', { from: props.modelName(turn.fallbackFrom), to: name })}
      </div>
    ) : undefined,
    ...testId('chat-answer'),
    ...{ 'data-phase': turn.phase },
    ...extra,
  });
  const notice = (content: ReactNode): BubbleItemType => ({
    key: `${turn.requestId}:notice`,
    role: 'notice',
    content,
  });
  switch (turn.phase) {
    case 'pending':
      return [answer({ loading: true })];
    case 'streaming':
      return [
        answer({
          streaming: true,
          loading: turn.answer === '',
          footer: (
            <div className="chat-answer-meta chat-answer-meta--live">{t('chat.streaming')}</div>
          ),
        }),
      ];
    case 'complete':
      return [
        answer({
          footer: (
            <AnswerMeta modelName={name} charged={turn.charged} text={turn.answer}>
              {actions}
            </AnswerMeta>
          ),
        }),
      ];
    case 'refused':
      return [notice(<RefusalNotice reason={turn.reason!} modelName={name} />)];
    case 'cut_off':
      return [
        answer({
          content: turn.answer || t('chat.emptyAnswer'),
          footer: (
            <AnswerMeta modelName={name} charged={turn.charged} text={turn.answer}>
              <AnswerStatusTag status="cut_off" />
              {actions}
            </AnswerMeta>
          ),
        }),
        notice(<CutOffNotice turn={turn} modelName={name} />),
      ];
    case 'stopped':
      return [
        answer({
          content: turn.answer || t('chat.stoppedEmpty'),
          footer: (
            <AnswerMeta modelName={name} charged={stored?.credits ?? null} text={turn.answer}>
              <AnswerStatusTag status="aborted" />
              {actions}
            </AnswerMeta>
          ),
        }),
      ];
    default: {
      const failed = notice(<FailureNotice turn={turn} onRetry={() => props.onRetry(turn)} />);
      return turn.answer
        ? [answer({ footer: <AnswerStatusTag status="error" /> }), failed]
        : [failed];
    }
  }
}

/** The conversation as bubbles: prompts on the right, answers streaming in on the left. */
export function ChatThread(props: ThreadProps) {
  const { t } = useLocale();
  const roles: BubbleListProps['role'] = {
    user: {
      placement: 'end',
      variant: 'filled',
      avatar: <Avatar className="chat-avatar chat-avatar--user">{props.userInitial}</Avatar>,
    },
    ai: {
      placement: 'start',
      variant: 'borderless',
      // Answers are markdown; other content (a loading state) passes through.
      contentRender: (content) =>
        typeof content === 'string' ? <AnswerMarkdown text={content} /> : content,
      avatar: (
        <span className="chat-avatar chat-avatar--ai">
          <LogoMark size={22} />
        </span>
      ),
    },
    notice: {
      placement: 'start',
      variant: 'borderless',
      classNames: { content: 'chat-notice-bubble' },
    },
  };
  const latestPromptId = props.items.findLast((item) => item.kind === 'prompt')?.id ?? null;
  const bubbles = props.items.flatMap((item): BubbleItemType[] => {
    if (item.kind === 'prompt') {
      const { id } = item;
      const tags = hasTools(item.tools) ? <TurnToolTags key="tools" tools={item.tools} /> : null;
      return [
        {
          key: item.key,
          role: 'user',
          content:
            item.images.length > 0 ? (
              <>
                <PromptImages images={item.images} />
                {item.content}
              </>
            ) : (
              item.content
            ),
          footer:
            tags || id ? (
              <div className="chat-prompt-footer">
                {tags}
                {id ? (
                  <EditPromptButton
                    prompt={{ id, content: item.content, tools: item.tools }}
                    onEdit={props.onEdit}
                    busy={props.busy}
                  />
                ) : null}
              </div>
            ) : undefined,
          ...testId('chat-prompt'),
        },
      ];
    }
    if (item.kind === 'turn') {
      const actions = answerActions(
        props,
        item.stored?.id ?? null,
        item.prompt,
        item.turn.model,
        latestPromptId,
      );
      return turnBubbles(item.turn, item.stored, props, t, actions);
    }
    const { message, prompt } = item;
    const status = statusTag(message.status);
    const retry =
      message.status === 'error' && prompt ? (
        <Button
          key="retry"
          size="small"
          type="link"
          onClick={() => props.onRetryStored(prompt, message.modelId)}
          data-testid="chat-retry-stored"
        >
          {t('chat.error.retry')}
        </Button>
      ) : null;
    return [
      {
        key: item.key,
        role: 'ai',
        content: message.content || t('chat.emptyAnswer'),
        ...testId('chat-answer'),
        ...{ 'data-status': message.status ?? 'complete' },
        footer: (
          <AnswerMeta
            modelName={message.modelId ? props.modelName(message.modelId) : ''}
            charged={message.credits}
            text={message.content}
          >
            {status ? <AnswerStatusTag status={status} endReason={message.endReason} /> : null}
            {retry}
            {answerActions(props, message.id, prompt, message.modelId, latestPromptId)}
          </AnswerMeta>
        ),
      },
    ];
  });
  return (
    <Bubble.List items={bubbles} role={roles} className="chat-thread" data-testid="chat-thread" />
  );
}
