import { EditOutlined, PlusOutlined, TagsOutlined } from '@ant-design/icons';
import { App, Button, Card, Empty, Table, type TableColumnsType, Typography } from 'antd';
import { useState } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import { entitlementHighlights } from '../../lib/entitlements.ts';
import { formatDateTime } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import type { MarkRow } from '../../lib/trpc.ts';
import { QueryError } from '../QueryError.tsx';
import { MarkDrawer, type MarkInput } from './MarkDrawer.tsx';

const ROW_PROPS = testId('mark-row');

/**
 * A tenant's marks: a table, and a drawer to create or edit one. Shared by the admin console
 * (platform marks) and the vendor console. Saving is the caller's (it knows which procedure);
 * a rejected save keeps the drawer open with the server's errors on the fields.
 */
export function MarksManager({
  title,
  marks,
  loading,
  error,
  onRetry,
  keyPrefix,
  canEdit,
  onSave,
  refillPreview = false,
}: {
  title: string;
  marks: MarkRow[] | undefined;
  loading: boolean;
  error: unknown;
  onRetry: () => void;
  keyPrefix: string;
  canEdit: boolean;
  onSave: (input: MarkInput, markId: string | null) => Promise<unknown>;
  /** Show what a refill policy change would do (platform admins only). */
  refillPreview?: boolean;
}) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const [editing, setEditing] = useState<MarkRow | null>(null);
  const [open, setOpen] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<unknown>(null);

  const openDrawer = (mark: MarkRow | null) => {
    setEditing(mark);
    setSaveError(null);
    setOpen(true);
  };
  const save = async (input: MarkInput) => {
    setSaving(true);
    setSaveError(null);
    try {
      await onSave(input, editing?.id ?? null);
      void message.success(editing ? t('markForm.saved') : t('markForm.created'));
      setOpen(false);
    } catch (caught) {
      setSaveError(caught);
    } finally {
      setSaving(false);
    }
  };

  const columns: TableColumnsType<MarkRow> = [
    {
      key: 'name',
      title: t('marks.col.name'),
      render: (_, mark) => (
        <div className="cell-stack">
          <Typography.Text strong>{mark.name}</Typography.Text>
          {mark.description ? (
            <Typography.Text type="secondary" ellipsis className="cell-stack__sub">
              {mark.description}
            </Typography.Text>
          ) : null}
        </div>
      ),
    },
    {
      key: 'key',
      title: t('marks.col.key'),
      render: (_, mark) => <Typography.Text code>{mark.key}</Typography.Text>,
    },
    {
      key: 'grants',
      title: t('marks.col.grants'),
      render: (_, mark) => (
        <span className="muted">{entitlementHighlights(mark.entitlements, t, locale)}</span>
      ),
    },
    {
      key: 'updated',
      title: t('marks.col.updated'),
      render: (_, mark) => formatDateTime(mark.updatedAt, locale),
    },
  ];
  if (canEdit) {
    columns.push({
      key: 'actions',
      title: t('common.actions'),
      align: 'right',
      render: (_, mark) => (
        <Button
          size="small"
          icon={<EditOutlined />}
          onClick={() => openDrawer(mark)}
          data-testid="mark-edit"
        >
          {t('common.edit')}
        </Button>
      ),
    });
  }

  return (
    <Card
      variant="borderless"
      title={title}
      extra={
        canEdit ? (
          <Button
            type="primary"
            icon={<PlusOutlined />}
            onClick={() => openDrawer(null)}
            data-testid="mark-new"
          >
            {t('marks.new')}
          </Button>
        ) : null
      }
    >
      <QueryError error={error} onRetry={onRetry} />
      <Table
        rowKey="id"
        columns={columns}
        dataSource={marks}
        loading={loading}
        onRow={() => ROW_PROPS}
        pagination={{ pageSize: 20, hideOnSinglePage: true }}
        scroll={{ x: 'max-content' }}
        locale={{
          emptyText: (
            <Empty
              image={<TagsOutlined className="empty-icon" />}
              description={canEdit ? t('marks.emptyEditable') : t('marks.empty')}
            />
          ),
        }}
      />
      <MarkDrawer
        open={open}
        mark={editing}
        keyPrefix={keyPrefix}
        saving={saving}
        error={saveError}
        onClose={() => setOpen(false)}
        onSubmit={(input) => void save(input)}
        refillPreview={refillPreview}
      />
    </Card>
  );
}
