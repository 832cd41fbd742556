import { RobotOutlined, StopOutlined } from '@ant-design/icons';
import { Select } from 'antd';
import { useMemo } from 'react';
import { useT } from '../../i18n/useT.ts';
import { type ChatAssistant, groupByVendor } from '../../lib/pickers.ts';
import { trpc } from '../../lib/trpc.ts';
import { PickerOption } from './PickerOption.tsx';
import '../../pickers.css';

/** The "no assistant" entry: Select options cannot be null. */
const NONE = '';

/**
 * Pick a vendor assistant for a chat, or none. Assistants come from `chat.assistants` (pass them
 * in when the page already has them), grouped by vendor; those whose mark the member does not
 * hold stay visible but disabled, with what unlocks them. The server checks again on send.
 */
export function AssistantPicker({
  value,
  onChange,
  assistants: given,
  disabled = false,
  className,
}: {
  value: string | null;
  onChange: (assistantId: string | null) => void;
  assistants?: ChatAssistant[];
  disabled?: boolean;
  className?: string;
}) {
  const t = useT();
  const query = trpc.chat.assistants.useQuery(undefined, { enabled: given === undefined });
  const assistants = given ?? query.data;
  const options = useMemo(
    () => [
      {
        value: NONE,
        label: (
          <PickerOption
            icon={<StopOutlined />}
            name={t('pickers.noAssistant')}
            detail={t('pickers.noAssistantDetail')}
            item={{ allowed: true, unlock: [] }}
            testId="assistant-option-none"
          />
        ),
      },
      ...groupByVendor(assistants ?? []).map((group) => ({
        label: group.tenantName,
        title: group.tenantName,
        options: group.assistants.map((assistant) => ({
          value: assistant.id,
          disabled: !assistant.allowed,
          label: (
            <PickerOption
              icon={<RobotOutlined />}
              name={assistant.name}
              detail={assistant.description}
              item={assistant}
              testId={`assistant-option-${assistant.id}`}
            />
          ),
        })),
      })),
    ],
    [assistants, t],
  );
  const chosen = assistants?.find((assistant) => assistant.id === value);
  return (
    <Select<string>
      className={className ? `picker ${className}` : 'picker'}
      classNames={{ popup: { root: 'picker__popup' } }}
      value={value ?? NONE}
      onChange={(id) => onChange(id === NONE ? null : id)}
      options={options}
      loading={given === undefined && query.isPending}
      disabled={disabled}
      popupMatchSelectWidth={false}
      // The closed picker shows just the name; the list says more.
      labelRender={() => (
        <span className="picker__value">
          <RobotOutlined />
          <span className="picker__value-text">
            {chosen ? chosen.name : t('pickers.noAssistant')}
          </span>
        </span>
      )}
      aria-label={t('pickers.assistant')}
      data-testid="assistant-picker"
    />
  );
}
