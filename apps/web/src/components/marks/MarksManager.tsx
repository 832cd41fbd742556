import { TagsOutlined } from '@ant-design/icons';
import { type TableColumnsType, Tag, Typography } from 'antd';
import type { ReactNode } from 'react';
import { useLocale } from '../../i18n/useT.ts';
import type { EntitlementCatalog } from '../../lib/catalog.ts';
import { markKeyPrefix } from '../../lib/entitlementForm.ts';
import { entitlementHighlights } from '../../lib/entitlements.ts';
import { formatDateTime } from '../../lib/format.ts';
import type { MarkRow } from '../../lib/trpc.ts';
import { ListEditor, type ListQuery } from '../editor/ListEditor.tsx';
import { useEditor } from '../editor/useEditor.ts';
import { MarkDrawer, type MarkInput } from './MarkDrawer.tsx';

/**
 * Marks in a ListEditor with the mark drawer; shared by the admin console (every tenant's marks)
 * and the vendor console. Saving is the caller's (it knows which procedure).
 */
export function MarksManager({
  title,
  query,
  keyPrefix = markKeyPrefix,
  catalog,
  canCreate,
  canEdit,
  onSave,
  showTenant = false,
  refillPreview = false,
  toolbar,
}: {
  title: string;
  query: ListQuery<MarkRow>;
  keyPrefix?: (mark: MarkRow | null) => string;
  /** What the pickers offer for a mark (a vendor's: within its ceiling); null while creating. */
  catalog: (mark: MarkRow | null) => EntitlementCatalog;
  canCreate: boolean;
  canEdit: (mark: MarkRow) => boolean;
  onSave: (input: MarkInput, mark: MarkRow | null) => Promise<unknown>;
  showTenant?: boolean;
  /** Show what a refill policy change would do (platform admins only). */
  refillPreview?: boolean;
  toolbar?: ReactNode;
}) {
  const { t, locale } = useLocale();
  const editor = useEditor<MarkRow, MarkInput>({
    save: onSave,
    messages: { created: t('markForm.created'), saved: t('markForm.saved') },
  });

  const columns: TableColumnsType<MarkRow> = [
    {
      key: 'name',
      title: t('marks.col.name'),
      // A bounded width: long descriptions wrap instead of pushing the table sideways.
      width: 260,
      render: (_, mark) => (
        <div className="cell-stack">
          <Typography.Text strong>{mark.name}</Typography.Text>
          {mark.description ? (
            <Typography.Text type="secondary" className="cell-stack__sub">
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
  ];
  if (showTenant) {
    columns.push({
      key: 'tenant',
      title: t('marks.col.tenant'),
      render: (_, mark) => (
        <Tag color={mark.tenantKind === 'platform' ? 'blue' : 'purple'} data-testid="mark-tenant">
          {mark.tenantName}
        </Tag>
      ),
    });
  }
  columns.push(
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
  );

  return (
    <ListEditor
      title={title}
      query={query}
      columns={columns}
      testIdPrefix="mark"
      rowAttributes={(mark) => ({ 'data-mark-key': mark.key })}
      toolbar={toolbar}
      empty={{
        icon: <TagsOutlined className="empty-icon" />,
        text: canCreate ? t('marks.emptyEditable') : t('marks.empty'),
      }}
      create={
        canCreate ? { label: t('marks.new'), onClick: () => editor.openFor(null) } : undefined
      }
      edit={{ onClick: editor.openFor, allowed: canEdit, readOnlyHint: t('marks.readOnly') }}
    >
      <MarkDrawer
        editor={editor}
        keyPrefix={keyPrefix}
        catalog={catalog(editor.editing)}
        refillPreview={refillPreview}
      />
    </ListEditor>
  );
}
