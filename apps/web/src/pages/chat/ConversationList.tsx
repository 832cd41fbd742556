import {
  DeleteOutlined,
  EditOutlined,
  MessageOutlined,
  PlusOutlined,
  SearchOutlined,
} from '@ant-design/icons';
import Conversations, { type ConversationItemType } from '@ant-design/x/es/conversations';
import { App, Button, Empty, Input, Modal, Skeleton } from 'antd';
import { useMemo, useState } from 'react';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { type ConversationGroup, conversationGroup } from '../../lib/chat.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { testId } from '../../lib/testId.ts';
import { type ConversationRow, trpc } from '../../lib/trpc.ts';
import { useDebouncedValue } from '../../lib/useDebouncedValue.ts';

const GROUP_LABELS = {
  today: 'chat.group.today',
  week: 'chat.group.week',
  older: 'chat.group.older',
} as const satisfies Record<ConversationGroup, string>;

function RenameModal({
  conversation,
  onClose,
}: {
  conversation: ConversationRow | null;
  onClose: () => void;
}) {
  const { t, lookup } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [title, setTitle] = useState('');
  const rename = trpc.chat.conversations.rename.useMutation({
    onSuccess: () => {
      void message.success(t('chat.renamed'));
      onClose();
    },
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
    onSettled: () => utils.chat.conversations.list.invalidate(),
  });
  const submit = () => {
    if (conversation && title.trim()) {
      rename.mutate({ conversationId: conversation.id, title: title.trim() });
    }
  };
  return (
    <Modal
      open={conversation !== null}
      title={t('chat.renameTitle')}
      onCancel={onClose}
      onOk={submit}
      okText={t('common.save')}
      cancelText={t('common.cancel')}
      okButtonProps={{
        disabled: !title.trim(),
        loading: rename.isPending,
        ...testId('rename-submit'),
      }}
      afterOpenChange={(open) => {
        if (open) setTitle(conversation?.title ?? '');
      }}
      destroyOnHidden
    >
      <Input
        value={title}
        onChange={(event) => setTitle(event.target.value)}
        onPressEnter={submit}
        maxLength={120}
        placeholder={t('chat.renamePlaceholder')}
        autoFocus
        data-testid="rename-input"
      />
    </Modal>
  );
}

/** Search results: the title and, when a message matched, the words around the match. */
function SearchResults({
  query,
  activeId,
  onSelect,
}: {
  query: string;
  activeId: string | null;
  onSelect: (id: string) => void;
}) {
  const { t } = useLocale();
  const search = trpc.chat.conversations.search.useQuery(
    { q: query },
    { placeholderData: (previous) => previous },
  );
  const items = useMemo<ConversationItemType[]>(
    () =>
      (search.data ?? []).map((row) => ({
        key: row.id,
        label: (
          <span className="chat-search__hit">
            <span className="chat-search__title">{row.title}</span>
            {row.snippet ? <span className="chat-search__snippet muted">{row.snippet}</span> : null}
          </span>
        ),
        ...testId('conversation-search-result'),
      })),
    [search.data],
  );
  return (
    <section data-testid="conversation-search-results" aria-label={t('chat.search.results')}>
      <QueryError error={search.error} onRetry={() => void search.refetch()} />
      {search.isPending ? <Skeleton active title={false} paragraph={{ rows: 3 }} /> : null}
      {search.data && search.data.length === 0 ? (
        <Empty
          image={Empty.PRESENTED_IMAGE_SIMPLE}
          description={t('chat.search.empty', { q: query })}
          data-testid="conversation-search-empty"
        />
      ) : null}
      {items.length > 0 ? (
        <Conversations
          items={items}
          activeKey={activeId ?? undefined}
          onActiveChange={(key) => onSelect(String(key))}
        />
      ) : null}
    </section>
  );
}

/**
 * The member's conversations, newest first, grouped by day; each with rename and delete (after a
 * confirmation). `onDeleted` lets the page leave a conversation that no longer exists.
 */
export function ConversationList({
  activeId,
  onSelect,
  onNew,
  onDeleted,
}: {
  activeId: string | null;
  onSelect: (id: string) => void;
  onNew: () => void;
  onDeleted: (id: string) => void;
}) {
  const { t, lookup } = useLocale();
  const { message, modal } = App.useApp();
  const utils = trpc.useUtils();
  const list = trpc.chat.conversations.list.useQuery();
  const [renaming, setRenaming] = useState<ConversationRow | null>(null);
  const [query, setQuery] = useState('');
  const searched = useDebouncedValue(query.trim(), 250);
  const remove = trpc.chat.conversations.delete.useMutation({
    onSuccess: (_, { conversationId }) => {
      void message.success(t('chat.deleted'));
      onDeleted(conversationId);
    },
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
    onSettled: () => utils.chat.conversations.list.invalidate(),
  });

  const items = useMemo<ConversationItemType[]>(() => {
    const now = Date.now();
    return (list.data ?? []).map((row) => ({
      key: row.id,
      label: row.title,
      group: t(GROUP_LABELS[conversationGroup(row.updatedAt, now)]),
      ...testId('conversation-item'),
    }));
  }, [list.data, t]);

  const confirmDelete = (row: ConversationRow) =>
    modal.confirm({
      title: t('chat.deleteTitle', { title: row.title }),
      content: t('chat.deleteDetail'),
      okText: t('chat.delete'),
      cancelText: t('common.cancel'),
      okButtonProps: { danger: true, ...testId('delete-confirm') },
      onOk: () => remove.mutateAsync({ conversationId: row.id }).catch(() => undefined),
    });

  const byId = (id: string) => list.data?.find((row) => row.id === id);

  return (
    <div className="chat-side" data-testid="conversation-list">
      <Button
        type="primary"
        ghost
        block
        icon={<PlusOutlined />}
        onClick={onNew}
        className="chat-side__new"
        data-testid="chat-new"
      >
        {t('chat.newChat')}
      </Button>
      <Input
        allowClear
        prefix={<SearchOutlined />}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
        placeholder={t('chat.search.placeholder')}
        aria-label={t('chat.search.placeholder')}
        maxLength={200}
        className="chat-side__search"
        data-testid="conversation-search"
      />
      {searched ? (
        <div className="chat-side__list">
          <SearchResults query={searched} activeId={activeId} onSelect={onSelect} />
        </div>
      ) : null}
      <div className="chat-side__list" hidden={searched !== ''}>
        <QueryError error={list.error} onRetry={() => void list.refetch()} />
        {list.isPending ? <Skeleton active title={false} paragraph={{ rows: 6 }} /> : null}
        {list.data && list.data.length === 0 ? (
          <Empty
            image={<MessageOutlined className="chat-side__empty-icon" />}
            description={
              <>
                <div className="chat-side__empty-title">{t('chat.noConversations')}</div>
                <div className="muted">{t('chat.noConversationsDetail')}</div>
              </>
            }
            data-testid="conversations-empty"
          />
        ) : null}
        {items.length > 0 ? (
          <Conversations
            items={items}
            activeKey={activeId ?? undefined}
            onActiveChange={(key) => onSelect(String(key))}
            groupable
            menu={(item) => ({
              items: [
                { key: 'rename', label: t('chat.rename'), icon: <EditOutlined /> },
                { key: 'delete', label: t('chat.delete'), icon: <DeleteOutlined />, danger: true },
              ],
              onClick: ({ key, domEvent }) => {
                domEvent.stopPropagation();
                const row = byId(item.key);
                if (!row) return;
                if (key === 'rename') setRenaming(row);
                if (key === 'delete') confirmDelete(row);
              },
            })}
          />
        ) : null}
      </div>
      <RenameModal conversation={renaming} onClose={() => setRenaming(null)} />
    </div>
  );
}
