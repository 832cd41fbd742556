import { Form, Switch } from 'antd';
import type { ReactNode } from 'react';
import type { NamePath } from './useServerErrors.ts';

/** An on/off field (a model, provider, plan or assistant being active; API access). */
export function SwitchField({
  name,
  label,
  extra,
  testId,
}: {
  name: NamePath;
  label: ReactNode;
  extra?: ReactNode;
  testId?: string;
}) {
  return (
    <Form.Item name={name} label={label} extra={extra} valuePropName="checked">
      <Switch data-testid={testId} />
    </Form.Item>
  );
}
