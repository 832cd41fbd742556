import { Alert, App, Form, Input, Modal, Segmented } from 'antd';
import { useEffect, useState } from 'react';
import { CreditsInput } from '../../components/forms/CreditsInput.tsx';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useLocale } from '../../i18n/useT.ts';
import { adjustmentPreview, formatCredits, newIdempotencyKey } from '../../lib/credits.ts';
import { testId } from '../../lib/testId.ts';
import { trpc } from '../../lib/trpc.ts';

type Mode = 'add' | 'set';
type Pot = 'allowance' | 'purchased';
interface AdjustValues {
  mode: Mode;
  pot: Pot;
  amount: number | null;
  reason: string;
}

const FIELDS: FieldMap = { mode: 'mode', pot: 'pot', amount: 'amount', reason: 'reason' };
const INITIAL: AdjustValues = { mode: 'add', pot: 'allowance', amount: null, reason: '' };
const AMOUNT_MAX = 1_000_000_000_000;

/**
 * Add (or deduct) credits, or set a pot, with a required reason. The pot says what the credits
 * are: plan allowance (refills reset it, a lapsed plan takes it back) or purchased (kept). One idempotency key per
 * opening of the modal: a double click, or a retry after a lost answer, applies the change once.
 */
export function AdjustCreditsModal({
  userId,
  credits,
  open,
  onClose,
}: {
  userId: string;
  /** The account as last read: the preview applies the server's rule to it (balance − reserved). */
  credits: { balance: number; reserved: number; purchased: number };
  open: boolean;
  onClose: () => void;
}) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [form] = Form.useForm<AdjustValues>();
  const [key, setKey] = useState(newIdempotencyKey);
  const adjust = trpc.admin.credits.adjust.useMutation({
    onSuccess: (result) => {
      if (result.applied && result.balance !== undefined) {
        void message.success(
          t('adjust.applied', { balance: formatCredits(result.balance, locale) }),
        );
      } else {
        void message.info(t('adjust.alreadyApplied'));
      }
      onClose();
    },
    onSettled: () =>
      Promise.all([
        utils.admin.credits.account.invalidate({ userId }),
        utils.admin.audit.list.invalidate(),
      ]),
  });
  const formError = useServerErrors(form, adjust.error, FIELDS);
  const mode = Form.useWatch('mode', form) ?? 'add';
  const pot = Form.useWatch('pot', form) ?? 'allowance';
  const amount = Form.useWatch('amount', form);
  const after = adjustmentPreview(mode, amount, credits, pot);

  useEffect(() => {
    if (!open) return;
    form.resetFields();
    adjust.reset();
    setKey(newIdempotencyKey());
  }, [open, form, adjust.reset]);

  const submit = (values: AdjustValues) => {
    if (adjust.isPending) return;
    adjust.mutate({
      userId,
      mode: values.mode,
      pot: values.pot,
      amount: values.amount ?? 0,
      reason: values.reason.trim(),
      idempotencyKey: key,
    });
  };

  return (
    <Modal
      open={open}
      title={t('adjust.title')}
      okText={t('adjust.submit')}
      cancelText={t('common.cancel')}
      onCancel={onClose}
      onOk={() => form.submit()}
      confirmLoading={adjust.isPending}
      okButtonProps={{ ...testId('adjust-submit') }}
      destroyOnHidden
    >
      <Form form={form} layout="vertical" initialValues={INITIAL} onFinish={submit}>
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item name="mode" label={t('adjust.mode')}>
          <Segmented<Mode>
            options={[
              {
                value: 'add',
                label: <span data-testid="adjust-mode-add">{t('adjust.modeAdd')}</span>,
              },
              {
                value: 'set',
                label: <span data-testid="adjust-mode-set">{t('adjust.modeSet')}</span>,
              },
            ]}
          />
        </Form.Item>
        <Form.Item name="pot" label={t('adjust.pot')} extra={t(`adjust.potHint.${pot}`)}>
          <Segmented<Pot>
            options={[
              {
                value: 'allowance',
                label: <span data-testid="adjust-pot-allowance">{t('credits.allowance')}</span>,
              },
              {
                value: 'purchased',
                label: <span data-testid="adjust-pot-purchased">{t('credits.purchased')}</span>,
              },
            ]}
          />
        </Form.Item>
        <Form.Item
          name="amount"
          label={t('adjust.amount')}
          extra={
            <>
              <div>{mode === 'add' ? t('adjust.amountAddHint') : t('adjust.amountSetHint')}</div>
              {after !== null ? (
                <div className="adjust-after" data-testid="adjust-after">
                  {t('adjust.newBalance', { balance: formatCredits(after.balance, locale) })}
                  {credits.reserved > 0
                    ? ` · ${t('adjust.availableAfter', { available: formatCredits(after.available, locale) })}`
                    : null}
                </div>
              ) : null}
            </>
          }
          rules={[
            { required: true, message: t('adjust.amountRequired') },
            {
              validator: async (_, value: number | null) => {
                if (mode === 'add' && value === 0) throw new Error(t('adjust.amountZero'));
                // The server refuses the same cases (BELOW_RESERVED, BELOW_ZERO): say so first.
                const preview = adjustmentPreview(mode, value, credits, pot);
                if (preview?.allowed === false)
                  throw new Error(
                    preview.available < 0
                      ? t('adjust.belowReserved', {
                          reserved: formatCredits(credits.reserved, locale),
                        })
                      : t('adjust.belowZero'),
                  );
              },
            },
          ]}
        >
          <CreditsInput
            min={mode === 'set' ? 0 : -AMOUNT_MAX}
            max={AMOUNT_MAX}
            data-testid="adjust-amount"
          />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('adjust.reason')}
          extra={t('adjust.reasonHint')}
          rules={[{ required: true, whitespace: true, message: t('adjust.reasonRequired') }]}
        >
          <Input.TextArea
            maxLength={500}
            autoSize={{ minRows: 2, maxRows: 4 }}
            data-testid="adjust-reason"
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
