import { Alert, Button, Drawer, Form, type FormInstance, Space } from 'antd';
import { type ReactNode, useEffect, useEffectEvent } from 'react';
import { useT } from '../../i18n/useT.ts';
import { type FieldMap, useServerErrors } from '../forms/useServerErrors.ts';
import type { Editor } from './useEditor.ts';

export interface EditorDrawerProps<Row, Input, Values> {
  editor: Editor<Row, Input>;
  form: FormInstance<Values>;
  title: ReactNode;
  /** `data-testid` prefix: `<p>-drawer`, `<p>-save`. */
  testIdPrefix: string;
  /** Server field key → form name path; a module-level constant. */
  serverFields: FieldMap;
  /** The form's values for the row being edited, or for a new one (row null). */
  toValues: (row: Row | null) => Partial<Values>;
  /** The form's values → what `editor.submit` saves. */
  toInput: (values: Values) => Input;
  submitLabel?: ReactNode;
  size?: number;
  /** Staff see the form without a Save button (the server refuses their writes anyway). */
  readOnly?: boolean;
  children: ReactNode;
}

/**
 * The drawer every editor shares: filled from the row when it opens, the server's field errors
 * under their inputs (the rest above the form), Cancel and Save in the footer.
 */
export function EditorDrawer<Row, Input, Values>({
  editor,
  form,
  title,
  testIdPrefix,
  serverFields,
  toValues,
  toInput,
  submitLabel,
  size = 560,
  readOnly = false,
  children,
}: EditorDrawerProps<Row, Input, Values>) {
  const t = useT();
  const formError = useServerErrors(form, editor.error, serverFields);
  // Fill the form when the drawer opens on a row, not on every render (that would wipe typing);
  // an effect event reads the latest `toValues` without making it a reason to refill.
  const fill = useEffectEvent((row: Row | null) => {
    form.resetFields();
    form.setFieldsValue(toValues(row) as Parameters<typeof form.setFieldsValue>[0]);
  });
  useEffect(() => {
    if (editor.open) fill(editor.editing);
  }, [editor.open, editor.editing]);

  return (
    <Drawer
      open={editor.open}
      onClose={editor.close}
      size={size}
      destroyOnHidden
      title={title}
      footer={
        <Space className="drawer-footer">
          <Button onClick={editor.close}>
            {readOnly ? t('common.close') : t('common.cancel')}
          </Button>
          {readOnly ? null : (
            <Button
              type="primary"
              loading={editor.saving}
              onClick={() => form.submit()}
              data-testid={`${testIdPrefix}-save`}
            >
              {submitLabel ?? (editor.editing ? t('common.save') : t('common.create'))}
            </Button>
          )}
        </Space>
      }
      data-testid={`${testIdPrefix}-drawer`}
    >
      <Form
        form={form}
        layout="vertical"
        disabled={readOnly}
        autoComplete="off"
        onFinish={(values) => editor.submit(toInput(values))}
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        {children}
      </Form>
    </Drawer>
  );
}
