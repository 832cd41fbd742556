import { StopOutlined } from '@ant-design/icons';
import { App, Button, Popconfirm, Tag, Tooltip } from 'antd';
import { useState } from 'react';
import { ActionModal } from '../../components/forms/ActionModal.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';

interface UserAccess {
  id: string;
  email: string;
  disabledAt: string | null;
  disabledReason: string | null;
}

/** "Disabled", with when and why on hover; nothing for an account in use. */
/** "Email unverified" (decision 022): such a user cannot start trials, redeem plan codes or buy. */
export function UnverifiedTag({ user }: { user: { emailVerifiedAt: string | null } }) {
  const { t } = useLocale();
  if (user.emailVerifiedAt) return null;
  return (
    <Tooltip title={t('users.unverifiedHint')}>
      <Tag color="gold" data-testid="user-unverified">
        {t('users.unverified')}
      </Tag>
    </Tooltip>
  );
}

export function DisabledTag({ user }: { user: Pick<UserAccess, 'disabledAt' | 'disabledReason'> }) {
  const { t, locale } = useLocale();
  if (!user.disabledAt) return null;
  const when = formatDateTime(user.disabledAt, locale);
  return (
    <Tooltip
      title={
        user.disabledReason
          ? `${when} · ${t('users.disabledReason', { reason: user.disabledReason })}`
          : when
      }
    >
      <Tag color="red" icon={<StopOutlined />} data-testid="user-disabled">
        {t('users.disabled')}
      </Tag>
    </Tooltip>
  );
}

/**
 * Disable (with an optional reason, after a confirm saying what it does) or enable an account.
 * Both refresh the users list and the detail page.
 */
export function UserAccessButton({ user, size }: { user: UserAccess; size?: 'small' }) {
  const { t, lookup, locale } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [confirming, setConfirming] = useState(false);
  const refresh = () =>
    Promise.all([utils.admin.users.list.invalidate(), utils.admin.users.byId.invalidate()]);
  const disable = trpc.admin.users.disable.useMutation({
    onSuccess: (result) => {
      void message.success(
        t('users.disabledDone', { email: result.email, count: result.sessionsEnded }),
      );
      setConfirming(false);
    },
    onSettled: refresh,
  });
  const enable = trpc.admin.users.enable.useMutation({
    onSuccess: (result) => void message.success(t('users.enabledDone', { email: result.email })),
    onError: (error) => void message.error(describeError(toAppError(error), lookup, locale)),
    onSettled: refresh,
  });

  if (user.disabledAt) {
    return (
      <Popconfirm
        title={t('users.enable')}
        description={user.email}
        okText={t('users.enable')}
        cancelText={t('common.cancel')}
        onConfirm={() => enable.mutateAsync({ userId: user.id })}
        okButtonProps={{ ...testId('user-enable-confirm') }}
      >
        <Button size={size} loading={enable.isPending} data-testid="user-enable">
          {t('users.enable')}
        </Button>
      </Popconfirm>
    );
  }
  return (
    <>
      <Button
        size={size}
        danger
        onClick={() => {
          disable.reset();
          setConfirming(true);
        }}
        data-testid="user-disable"
      >
        {t('users.disable')}
      </Button>
      <ActionModal
        open={confirming}
        title={t('users.disableTitle', { email: user.email })}
        body={t('users.disableBody')}
        okText={t('users.disable')}
        danger
        testIdPrefix="user-disable"
        field={{ name: 'reason', kind: 'reason', label: t('common.reasonOptional') }}
        pending={disable.isPending}
        error={disable.error}
        onSubmit={(reason) => disable.mutate({ userId: user.id, reason: reason || undefined })}
        onClose={() => setConfirming(false)}
      />
    </>
  );
}
