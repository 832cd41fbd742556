import { App, Button, Popconfirm } from 'antd';
import { useState } from 'react';
import { Link } from 'react-router';
import { ActionModal } from '../../components/forms/ActionModal.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { testId } from '../../lib/testId.ts';
import { trpc, type VendorRow } from '../../lib/trpc.ts';
import { vendorPath } from '../vendor/vendorContext.ts';

/**
 * A vendor row's platform actions besides the ceiling: suspend (reason, confirm) or reinstate,
 * name a new owner, and open the vendor's console (platform admins may open any).
 */
export function VendorActions({ vendor }: { vendor: VendorRow }) {
  const { t, lookup, locale } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [dialog, setDialog] = useState<'suspend' | 'owner' | null>(null);
  const refresh = () =>
    Promise.all([utils.admin.vendors.list.invalidate(), utils.vendor.mine.invalidate()]);
  const close = () => setDialog(null);
  const suspend = trpc.admin.vendors.suspend.useMutation({
    onSuccess: () => {
      void message.success(t('vendors.suspendedDone', { name: vendor.name }));
      close();
    },
    onSettled: refresh,
  });
  const reinstate = trpc.admin.vendors.reinstate.useMutation({
    onSuccess: () => void message.success(t('vendors.reinstated', { name: vendor.name })),
    onError: (error) => void message.error(describeError(toAppError(error), lookup, locale)),
    onSettled: refresh,
  });
  const setOwner = trpc.admin.vendors.setOwner.useMutation({
    onSuccess: (owner) => {
      void message.success(t('vendors.ownerSet', { email: owner.email, name: vendor.name }));
      close();
    },
    onSettled: refresh,
  });
  const open = (which: 'suspend' | 'owner') => {
    suspend.reset();
    setOwner.reset();
    setDialog(which);
  };

  return (
    <>
      {vendor.suspendedAt ? (
        <Popconfirm
          title={t('vendors.reinstate')}
          description={vendor.name}
          okText={t('vendors.reinstate')}
          cancelText={t('common.cancel')}
          onConfirm={() => reinstate.mutateAsync({ tenantId: vendor.id })}
          okButtonProps={{ ...testId('vendor-reinstate-confirm') }}
        >
          <Button size="small" loading={reinstate.isPending} data-testid="vendor-reinstate">
            {t('vendors.reinstate')}
          </Button>
        </Popconfirm>
      ) : (
        <Button size="small" danger onClick={() => open('suspend')} data-testid="vendor-suspend">
          {t('vendors.suspend')}
        </Button>
      )}
      <Button size="small" onClick={() => open('owner')} data-testid="vendor-set-owner">
        {t('vendors.setOwner')}
      </Button>
      <Link to={vendorPath(vendor.id)} data-testid="vendor-open-console">
        <Button size="small" type="link">
          {t('vendors.openConsole')}
        </Button>
      </Link>
      <ActionModal
        open={dialog === 'suspend'}
        title={t('vendors.suspendTitle', { name: vendor.name })}
        body={t('vendors.suspendBody')}
        okText={t('vendors.suspend')}
        danger
        testIdPrefix="vendor-suspend"
        field={{ name: 'reason', kind: 'reason', label: t('common.reasonOptional') }}
        pending={suspend.isPending}
        error={suspend.error}
        onSubmit={(reason) => suspend.mutate({ tenantId: vendor.id, reason: reason || undefined })}
        onClose={close}
      />
      <ActionModal
        open={dialog === 'owner'}
        title={t('vendors.setOwnerTitle', { name: vendor.name })}
        okText={t('vendors.setOwner')}
        testIdPrefix="vendor-owner"
        field={{
          name: 'email',
          kind: 'email',
          label: t('vendors.ownerEmail'),
          extra: t('vendors.setOwnerHint'),
        }}
        pending={setOwner.isPending}
        error={setOwner.error}
        onSubmit={(email) => setOwner.mutate({ tenantId: vendor.id, email })}
        onClose={close}
      />
    </>
  );
}
