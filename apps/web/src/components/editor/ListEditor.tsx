import { EditOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { Button, Card, Empty, Flex, Table, type TableColumnsType, Tooltip, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useT } from '../../i18n/useT.ts';
import { QueryError } from '../QueryError.tsx';

/** What the list needs from a query (a tRPC `useQuery` result fits). */
export interface ListQuery<Row> {
  data: readonly Row[] | undefined;
  isPending: boolean;
  error: unknown;
  refetch: () => unknown;
}

export interface ListEditorProps<Row extends { id: string }> {
  title: ReactNode;
  /** One line under the title saying what the list is for. */
  lead?: ReactNode;
  query: ListQuery<Row>;
  columns: TableColumnsType<Row>;
  /** `data-testid` prefix: `<p>-row`, `<p>-new`, `<p>-edit`, `<p>-list`. */
  testIdPrefix: string;
  empty: { icon: ReactNode; text: ReactNode };
  /** The "New" button; absent where nothing may be created here. */
  create?: { label: ReactNode; onClick: () => void; disabled?: boolean; primary?: boolean };
  /** The row's Edit button; rows it refuses show a lock with `readOnlyHint`. */
  edit?: { onClick: (row: Row) => void; allowed?: (row: Row) => boolean; readOnlyHint?: string };
  /** The actions column's width: set it where many buttons would push the table sideways (they wrap). */
  actionsWidth?: number;
  /** More buttons in a row's actions cell, after Edit. */
  rowActions?: (row: Row) => ReactNode;
  /** Extra attributes on a row (e.g. `data-tenant-id`), besides its test id. */
  rowAttributes?: (row: Row) => Record<string, string>;
  /** Above the table (filters). */
  toolbar?: ReactNode;
  /** The drawers and modals the list opens. */
  children?: ReactNode;
}

/**
 * The consoles' one list shape: a card with a title and a New button, the query's error with a
 * retry, a table with loading and empty states, and an actions column (Edit, then any others).
 * State lives in `useEditor`; the form in an `EditorDrawer` passed as children.
 */
export function ListEditor<Row extends { id: string }>({
  title,
  lead,
  query,
  columns,
  testIdPrefix,
  empty,
  create,
  edit,
  rowActions,
  rowAttributes,
  toolbar,
  children,
  actionsWidth,
}: ListEditorProps<Row>) {
  const t = useT();
  const allColumns: TableColumnsType<Row> = [...columns];
  if (edit || rowActions) {
    allColumns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      width: actionsWidth,
      render: (_, row) => (
        <Flex gap={8} justify="flex-end" wrap>
          {edit ? <EditButton row={row} edit={edit} testId={`${testIdPrefix}-edit`} /> : null}
          {rowActions?.(row)}
        </Flex>
      ),
    });
  }

  return (
    <Card
      variant="borderless"
      title={title}
      data-testid={`${testIdPrefix}-list`}
      extra={
        create ? (
          <Button
            type={create.primary === false ? 'default' : 'primary'}
            icon={<PlusOutlined />}
            disabled={create.disabled}
            onClick={create.onClick}
            data-testid={`${testIdPrefix}-new`}
          >
            {create.label}
          </Button>
        ) : null
      }
    >
      {lead ? (
        <Typography.Paragraph type="secondary" className="card-lead">
          {lead}
        </Typography.Paragraph>
      ) : null}
      <QueryError error={query.error} onRetry={() => void query.refetch()} />
      {toolbar}
      <Table<Row>
        rowKey="id"
        columns={allColumns}
        dataSource={query.data as Row[] | undefined}
        loading={query.isPending}
        onRow={(row) =>
          ({ 'data-testid': `${testIdPrefix}-row`, ...rowAttributes?.(row) }) as object
        }
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{ emptyText: <Empty image={empty.icon} description={empty.text} /> }}
      />
      {children}
    </Card>
  );
}

function EditButton<Row extends { id: string }>({
  row,
  edit,
  testId,
}: {
  row: Row;
  edit: NonNullable<ListEditorProps<Row>['edit']>;
  testId: string;
}) {
  const t = useT();
  if (edit.allowed && !edit.allowed(row)) {
    return (
      <Tooltip title={edit.readOnlyHint}>
        <LockOutlined className="muted" />
      </Tooltip>
    );
  }
  return (
    <Button
      size="small"
      icon={<EditOutlined />}
      onClick={() => edit.onClick(row)}
      data-testid={testId}
    >
      {t('common.edit')}
    </Button>
  );
}
