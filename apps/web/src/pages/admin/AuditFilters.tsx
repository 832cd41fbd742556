import { FilterOutlined } from '@ant-design/icons';
import { AutoComplete, Button, Input } from 'antd';
import { useT } from '../../i18n/useT.ts';

export interface AuditFilterValues {
  action: string;
  /** Part of an email: the actor's or the subject user's. */
  email: string;
  actorUserId: string;
  subjectId: string;
}

export const EMPTY_AUDIT_FILTERS: AuditFilterValues = {
  action: '',
  email: '',
  actorUserId: '',
  subjectId: '',
};

/** Action prefixes the log is written with (the server matches `action` as a prefix). */
const ACTION_PREFIXES = [
  'user.',
  'session.',
  'membership.',
  'mark.',
  'plan.',
  'vendor.',
  'tenant.',
];

export function AuditFilters({
  value,
  onChange,
}: {
  value: AuditFilterValues;
  onChange: (next: AuditFilterValues) => void;
}) {
  const t = useT();
  const set = (patch: Partial<AuditFilterValues>) => onChange({ ...value, ...patch });
  const active = value.action || value.email || value.actorUserId || value.subjectId;
  return (
    <div className="audit-filters">
      <AutoComplete
        allowClear
        value={value.action}
        options={ACTION_PREFIXES.map((prefix) => ({ value: prefix }))}
        filterOption={(input, option) =>
          String(option?.value ?? '').startsWith(input.trim().toLowerCase())
        }
        onChange={(action: string | undefined) => set({ action: action ?? '' })}
        className="audit-filters__action"
        data-testid="audit-action"
      >
        <Input prefix={<FilterOutlined />} placeholder={t('audit.filterAction')} maxLength={100} />
      </AutoComplete>
      <Input
        allowClear
        value={value.email}
        onChange={(event) => set({ email: event.target.value })}
        placeholder={t('audit.filterEmail')}
        maxLength={254}
        className="audit-filters__id"
        data-testid="audit-email"
      />
      <Input
        allowClear
        value={value.actorUserId}
        onChange={(event) => set({ actorUserId: event.target.value })}
        placeholder={t('audit.filterActor')}
        maxLength={64}
        className="audit-filters__id"
        data-testid="audit-actor"
      />
      <Input
        allowClear
        value={value.subjectId}
        onChange={(event) => set({ subjectId: event.target.value })}
        placeholder={t('audit.filterSubject')}
        maxLength={64}
        className="audit-filters__id"
        data-testid="audit-subject"
      />
      {active ? (
        <Button type="link" onClick={() => onChange(EMPTY_AUDIT_FILTERS)}>
          {t('audit.clearFilters')}
        </Button>
      ) : null}
    </div>
  );
}
