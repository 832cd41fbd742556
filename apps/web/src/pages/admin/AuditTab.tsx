import { AuditOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Table, type TableColumnsType, Tag, Tooltip, Typography } from 'antd';
import { useMemo, useState } from 'react';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { compactJson, formatDateTime, formatRelative } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import { type AuditEvent, trpc } from '../../lib/trpc.ts';
import { useDebouncedValue } from '../../lib/useDebouncedValue.ts';
import { AuditFilters, type AuditFilterValues, EMPTY_AUDIT_FILTERS } from './AuditFilters.tsx';

const PAGE_SIZE = 50;
const ACTION_COLORS: Record<string, string> = {
  user: 'blue',
  session: 'cyan',
  membership: 'purple',
  mark: 'gold',
  plan: 'green',
  vendor: 'magenta',
  tenant: 'magenta',
};

/** The audit log, newest first, filtered, a page at a time ("Load more" follows `nextBeforeId`). */
export function AuditTab() {
  const { t, locale } = useLocale();
  const [filters, setFilters] = useState<AuditFilterValues>(EMPTY_AUDIT_FILTERS);
  const debounced = useDebouncedValue(filters, 300);
  const input = useMemo(
    () => ({
      action: debounced.action.trim() || undefined,
      email: debounced.email.trim() || undefined,
      actorUserId: debounced.actorUserId.trim() || undefined,
      subjectId: debounced.subjectId.trim() || undefined,
      limit: PAGE_SIZE,
    }),
    [debounced],
  );
  // Cursors of the pages shown: the first page has none, each next one the previous page's
  // `nextBeforeId`. A filter change starts over.
  const [cursors, setCursors] = useState<{ key: string; list: Array<number | undefined> }>({
    key: '',
    list: [undefined],
  });
  const filterKey = JSON.stringify(input);
  const list = cursors.key === filterKey ? cursors.list : [undefined];
  const pages = trpc.useQueries((q) =>
    list.map((beforeId) => q.admin.audit.list({ ...input, beforeId })),
  );
  const events = pages.flatMap((page) => page.data?.events ?? []);
  const last = pages.at(-1);
  const nextBeforeId = last?.data?.nextBeforeId ?? null;
  const error = pages.find((page) => page.error)?.error;
  const loadMore = () => {
    if (nextBeforeId !== null) setCursors({ key: filterKey, list: [...list, nextBeforeId] });
  };
  const filterBy = (patch: Partial<AuditFilterValues>) => setFilters({ ...filters, ...patch });

  const columns: TableColumnsType<AuditEvent> = [
    {
      key: 'when',
      title: t('audit.col.when'),
      render: (_, e) => (
        <Tooltip title={formatDateTime(e.createdAt, locale)}>
          <span className="nowrap">{formatRelative(e.createdAt, locale)}</span>
        </Tooltip>
      ),
    },
    {
      key: 'actor',
      title: t('audit.col.actor'),
      // A person by email (name on hover); a tool by its label (`cli:ada`); else the system.
      render: (_, e) => (
        <span className="nowrap">
          {e.actorUserId ? (
            <Tooltip title={e.actorName ?? e.actorUserId}>
              <Typography.Link
                onClick={() =>
                  e.actorEmail
                    ? filterBy({ email: e.actorEmail })
                    : filterBy({ actorUserId: e.actorUserId ?? '' })
                }
              >
                {e.actorEmail ?? e.actorUserId}
              </Typography.Link>
            </Tooltip>
          ) : null}
          {e.actorLabel ? (
            <Tag className="audit-actor-label">{e.actorLabel}</Tag>
          ) : e.actorUserId ? null : (
            <span className="muted">{t('audit.system')}</span>
          )}
        </span>
      ),
    },
    {
      key: 'action',
      title: t('audit.col.action'),
      render: (_, e) => (
        <Tag color={ACTION_COLORS[e.action.split('.')[0] ?? ''] ?? 'default'}>{e.action}</Tag>
      ),
    },
    {
      key: 'subject',
      title: t('audit.col.subject'),
      render: (_, e) => (
        <span className="nowrap">
          <span className="muted">{e.subjectType}</span>{' '}
          <Tooltip title={e.subjectLabel ? e.subjectId : undefined}>
            <Typography.Link
              onClick={() => filterBy({ subjectId: e.subjectId })}
              code={!e.subjectLabel}
            >
              {e.subjectLabel ?? e.subjectId}
            </Typography.Link>
          </Tooltip>
        </span>
      ),
    },
    {
      key: 'data',
      title: t('audit.col.data'),
      render: (_, e) => {
        const json = compactJson(e.data);
        return (
          <Tooltip title={<pre className="json-tooltip">{JSON.stringify(e.data, null, 2)}</pre>}>
            <Typography.Text code className="audit-data">
              {json}
            </Typography.Text>
          </Tooltip>
        );
      },
    },
    {
      key: 'ip',
      title: t('audit.col.ip'),
      render: (_, e) => e.ip ?? <span className="muted">—</span>,
    },
  ];

  return (
    <Card variant="borderless" title={t('audit.title')}>
      <AuditFilters value={filters} onChange={setFilters} />
      <QueryError error={error} onRetry={() => pages.forEach((page) => void page.refetch())} />
      <Table
        rowKey="id"
        size="middle"
        columns={columns}
        dataSource={events}
        loading={pages.some((page) => page.isFetching)}
        pagination={false}
        scroll={{ x: 'max-content' }}
        onRow={() => testId('audit-row')}
        locale={{
          emptyText: (
            <Empty
              image={<AuditOutlined className="empty-icon" />}
              description={t('audit.empty')}
            />
          ),
        }}
      />
      <div className="load-more">
        {nextBeforeId !== null ? (
          <Button onClick={loadMore} loading={last?.isFetching} data-testid="audit-more">
            {t('audit.loadMore')}
          </Button>
        ) : events.length > 0 ? (
          <span className="muted">{t('audit.end', { count: events.length })}</span>
        ) : null}
      </div>
    </Card>
  );
}
