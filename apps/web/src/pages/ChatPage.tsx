import { MessageOutlined } from '@ant-design/icons';
import { skipToken } from '@tanstack/react-query';
import { Button, Drawer, Empty, Grid, Spin } from 'antd';
import { type ReactNode, useCallback, useEffect, useRef, useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { preloadMarkdown } from '../components/markdown/AnswerMarkdown.tsx';
import { QueryError } from '../components/QueryError.tsx';
import { useLocale } from '../i18n/useT.ts';
import {
  type AskedPrompt,
  buildThread,
  type ChatTurn,
  collapseAlternatives,
  type TurnImage,
  type TurnTools,
  turnsOf,
} from '../lib/chat.ts';
import { imageAccess } from '../lib/chatImages.ts';
import { chooseModel, modelName, readStoredModel, storeModel } from '../lib/chatModels.ts';
import { toAppError } from '../lib/errors.ts';
import { useMe } from '../lib/session.ts';
import { trpc } from '../lib/trpc.ts';
import { ChatComposer } from './chat/ChatComposer.tsx';
import { ChatHeader, ModelPicker } from './chat/ChatHeader.tsx';
import { ChatThread, ChatWelcome } from './chat/ChatThread.tsx';
import { ConversationList } from './chat/ConversationList.tsx';
import { ExportMenu } from './chat/ExportMenu.tsx';
import { useChatStream } from './chat/useChatStream.ts';
import { useComposerTools } from './chat/useComposerTools.ts';
import { useImageAttachments } from './chat/useImageAttachments.ts';

const CHAT_PATH = '/chat';

/** A send from the composer uses the page's choices; a retry repeats the turn's. */
interface SendOptions {
  target?: string | null;
  tools?: TurnTools;
  model?: string | null;
  /** Regenerate / edit (decision 020): the stored prompt, and where it sits in the thread. */
  regenerate?: { promptId: string };
  edit?: { promptId: string };
  storedBefore?: number;
  /** Images to send (a composer send takes the attached ones; a retry its turn's). */
  images?: readonly TurnImage[];
}

/**
 * `/chat` (a new chat) and `/chat/:conversationId`: the conversations on the left (a drawer on
 * narrow screens), the messages with answers streaming in, the model picker and the usage meter
 * above them, and the composer with Stop while an answer is written and, under the text, the
 * assistant and plugin the next message goes with (an assistant decides the model).
 */
export function ChatPage() {
  const { t } = useLocale();
  const me = useMe();
  const navigate = useNavigate();
  const conversationId = useParams().conversationId ?? null;
  const narrow = Grid.useBreakpoint().md === false;
  const [historyOpen, setHistoryOpen] = useState(false);

  const utils = trpc.useUtils();
  const models = trpc.chat.models.useQuery();
  const mine = trpc.membership.mine.useQuery();
  const list = trpc.chat.conversations.list.useQuery();
  const messages = trpc.chat.conversations.messages.useQuery(
    conversationId ? { conversationId } : skipToken,
  );
  const tools = useComposerTools();
  const [preferred, setPreferred] = useState(readStoredModel);
  const model = tools.assistant?.modelId ?? chooseModel(models.data ?? [], preferred);
  const nameOf = useCallback((id: string) => modelName(models.data ?? [], id), [models.data]);
  const attachments = useImageAttachments();
  const access = imageAccess(models.data ?? [], model);

  // An answer to a new chat moves to the conversation the server opened (if still looking at it).
  const viewing = useRef(conversationId);
  viewing.current = conversationId;
  const stream = useChatStream({
    onAdmitted: (id) => {
      if (viewing.current === null) navigate(`${CHAT_PATH}/${id}`, { replace: true });
    },
  });

  // The answer renderer is a lazy chunk: fetch it now, so the first answer does not wait for it.
  useEffect(preloadMarkdown, []);

  // Esc stops the answer being written (as Stop does), unless a dialog or menu takes the key.
  const activeId = stream.active?.requestId ?? null;
  const stop = stream.stop;
  useEffect(() => {
    if (!activeId) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented || event.isComposing) return;
      const target = event.target instanceof Element ? event.target : null;
      if (target?.closest('.ant-modal, .ant-drawer, .ant-dropdown, .ant-select-dropdown')) return;
      stop(activeId);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [activeId, stop]);

  const turns = turnsOf(stream.turns, conversationId);
  const all = conversationId ? (messages.data ?? []) : [];
  // One answer per prompt is shown; the others are its alternatives (the "‹ 2/3 ›" flip).
  const { messages: stored, alternatives } = collapseAlternatives(all);
  const storedRequestIds = new Set(all.flatMap((m) => (m.requestId ? [m.requestId] : [])));
  const items = buildThread(stored, turns, tools.plugins.data, storedRequestIds);
  const showAnswer = trpc.chat.conversations.showAnswer.useMutation({
    onSettled: () => void utils.chat.conversations.messages.invalidate(),
  });
  const [draft, setDraft] = useState('');
  const ready = model !== null && (conversationId === null || messages.data !== undefined);

  const send = (text: string, options: SendOptions = {}) => {
    const sentModel = options.model ?? model;
    if (!sentModel || stream.active || !text.trim()) return;
    const composed = !options.regenerate && !options.edit && options.images === undefined;
    // A send from the composer waits for its images' uploads, and takes them along.
    if (composed && attachments.busy) return;
    // Images for a model that cannot read them stay in the composer (it says why) until the
    // member picks another model or removes them.
    if (composed && attachments.images.length > 0 && access.kind !== 'allowed') return;
    const images = options.images ?? (composed ? attachments.attached : []);
    stream.send({
      conversationId: options.target === undefined ? conversationId : options.target,
      model: sentModel,
      prompt: text,
      storedBefore: options.storedBefore ?? stored.length,
      heldMarks: mine.data?.marks.map((mark) => mark.markKey) ?? [],
      tools: options.tools ?? tools.tools,
      regenerate: options.regenerate,
      edit: options.edit,
      images,
    });
    if (!options.regenerate && !options.edit) setDraft('');
    if (composed) attachments.clear();
  };
  // Regenerate the latest answer, or resend an edited prompt: a new request for a stored prompt.
  // This tab's finished turns give way to the stored thread, which the new turn continues from.
  const redo = (
    kind: 'regenerate' | 'edit',
    prompt: AskedPrompt,
    text: string,
    modelId: string | null,
  ) => {
    const at = stored.findIndex((m) => m.id === prompt.id);
    if (!conversationId || !prompt.id || at < 0 || stream.active) return;
    stream.forget(conversationId);
    send(text, {
      target: conversationId,
      tools: prompt.tools,
      model: prompt.tools.assistant ? modelId : null,
      storedBefore: at,
      [kind]: { promptId: prompt.id },
    });
  };
  // Sent again as it was: to its conversation, with its assistant (and so its model) and plugin.
  const retry = (turn: ChatTurn) =>
    send(turn.prompt, {
      target: turn.conversationId ?? conversationId,
      tools: turn.tools,
      model: turn.tools.assistant ? turn.model : null,
      // Uploads a stored prompt claimed cannot be sent again; unstored ones still wait.
      images: turn.admitted ? [] : turn.images,
    });
  // A failed answer found stored (after a reload, or from another tab): the same, from the store.
  const retryStored = (prompt: AskedPrompt, modelId: string | null) =>
    send(prompt.content, {
      target: conversationId,
      tools: prompt.tools,
      model: prompt.tools.assistant ? modelId : null,
      images: [],
    });

  const go = (path: string) => {
    setHistoryOpen(false);
    navigate(path);
  };
  const sidebar = (
    <ConversationList
      activeId={conversationId}
      onSelect={(id) => go(`${CHAT_PATH}/${id}`)}
      onNew={() => {
        stream.clearDraft();
        go(CHAT_PATH);
      }}
      onDeleted={(id) => {
        stream.forget(id);
        if (id === conversationId) go(CHAT_PATH);
      }}
    />
  );

  const title = conversationId
    ? (list.data?.find((row) => row.id === conversationId)?.title ?? '')
    : t('chat.newChat');
  const missing = toAppError(messages.error).domainCode === 'NOT_FOUND';

  let body: ReactNode;
  if (missing && turns.length === 0) {
    body = (
      <div className="chat-page__center" data-testid="chat-not-found">
        <Empty
          image={<MessageOutlined className="chat-page__empty-icon" />}
          description={t('chat.notFound')}
        >
          <Button type="primary" onClick={() => go(CHAT_PATH)}>
            {t('chat.newChat')}
          </Button>
        </Empty>
      </div>
    );
  } else if (messages.error && turns.length === 0) {
    body = (
      <div className="chat-page__pad">
        <QueryError error={messages.error} onRetry={() => void messages.refetch()} />
      </div>
    );
  } else if (conversationId && messages.isPending && turns.length === 0) {
    body = (
      <div className="chat-page__center chat-page__center--column">
        <Spin />
        <span className="muted">{t('chat.loadingMessages')}</span>
      </div>
    );
  } else if (items.length === 0) {
    body = <ChatWelcome onPick={(text) => send(text)} disabled={!ready || !!stream.active} />;
  } else {
    body = (
      <ChatThread
        items={items}
        modelName={nameOf}
        userInitial={(me.user.displayName || me.user.email).charAt(0).toUpperCase()}
        onRetry={retry}
        onRetryStored={retryStored}
        busy={stream.active !== null}
        alternatives={alternatives}
        onShowAnswer={(answerId) =>
          conversationId && showAnswer.mutate({ conversationId, answerId })
        }
        onRegenerate={(prompt, modelId) => redo('regenerate', prompt, prompt.content, modelId)}
        onEdit={(prompt, text) => redo('edit', prompt, text, null)}
      />
    );
  }

  return (
    <div className="chat-page" data-testid="chat-page">
      {narrow ? (
        <Drawer
          open={historyOpen}
          onClose={() => setHistoryOpen(false)}
          placement="left"
          size={300}
          title={t('chat.conversations')}
          className="chat-drawer"
        >
          {sidebar}
        </Drawer>
      ) : (
        <aside className="chat-page__side">{sidebar}</aside>
      )}
      <section className="chat-page__main">
        <ChatHeader
          title={title}
          onOpenHistory={narrow ? () => setHistoryOpen(true) : null}
          actions={
            conversationId && messages.data ? (
              <ExportMenu conversationId={conversationId} title={title} modelName={nameOf} />
            ) : null
          }
          picker={
            <ModelPicker
              models={models.data ?? []}
              value={model}
              loading={models.isPending}
              onChange={(id) => {
                setPreferred(id);
                storeModel(id);
              }}
              assistant={tools.assistant}
            />
          }
        />
        {models.error ? (
          <div className="chat-page__pad">
            <QueryError error={models.error} onRetry={() => void models.refetch()} />
          </div>
        ) : null}
        <div className="chat-page__body">{body}</div>
        <ChatComposer
          draft={draft}
          onDraft={setDraft}
          onSend={(text) => send(text)}
          onStop={() => {
            if (stream.active) stream.stop(stream.active.requestId);
          }}
          streaming={stream.active !== null}
          disabled={!ready}
          placeholder={
            tools.assistant
              ? t('chat.placeholder', { model: tools.assistant.name })
              : model
                ? t('chat.placeholder', { model: nameOf(model) })
                : models.data
                  ? t('chat.placeholderNoModel')
                  : t('chat.placeholderPlain')
          }
          tools={tools}
          images={attachments}
          imageAccess={access}
          modelName={model ? nameOf(model) : ''}
        />
      </section>
    </div>
  );
}
