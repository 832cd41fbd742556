import { GiftOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Form, Input, Typography } from 'antd';
import { useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useResendVerification } from '../../components/VerifyEmailNotice.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { formatCredits } from '../../lib/credits.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDateTime } from '../../lib/format.ts';
import { type RedeemResult, trpc } from '../../lib/trpc.ts';

const FIELDS = { code: 'code' } as const;

/** Where the Plans page's "ask an admin" and a missing Stripe configuration point: `#redeem-code`. */
export const REDEEM_ANCHOR = 'redeem-code';

function GrantText({ result }: { result: RedeemResult }) {
  const { t, locale } = useLocale();
  const { grant } = result;
  const text =
    grant.kind === 'plan'
      ? t('redeem.grantedPlan', {
          mark: grant.markKey,
          days: grant.days,
          until: grant.expiresAt ? formatDateTime(grant.expiresAt, locale) : t('redeem.noEnd'),
        })
      : t('redeem.grantedCredits', { credits: formatCredits(grant.credits, locale) });
  return (
    <Alert
      type="success"
      showIcon
      data-testid="redeem-result"
      message={result.alreadyRedeemed ? t('redeem.already') : t('redeem.success')}
      description={text}
    />
  );
}

/** A member types a redemption code; what it granted is shown, and marks and credits refresh. */
export function RedeemCodeCard() {
  const { t, locale } = useLocale();
  const resend = useResendVerification();
  const [form] = Form.useForm<{ code: string }>();
  const utils = trpc.useUtils();
  const redeem = trpc.codes.redeem.useMutation({
    onSuccess: () => {
      form.resetFields();
      void utils.membership.invalidate();
      void utils.usage.invalidate();
    },
  });
  const formError = useServerErrors(form, redeem.error, FIELDS);
  // A plan code needs a verified address (decision 022): offer the link right where it failed.
  const needsVerifiedEmail =
    redeem.error !== null && toAppError(redeem.error).domainCode === 'EMAIL_NOT_VERIFIED';

  return (
    <Card
      id={REDEEM_ANCHOR}
      variant="borderless"
      className="redeem-card"
      data-testid="redeem-card"
      title={
        <span className="card-title-icon">
          <GiftOutlined /> {t('redeem.title')}
        </span>
      }
    >
      <Typography.Paragraph type="secondary">{t('redeem.lead')}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        onFinish={(values) => redeem.mutate({ code: values.code })}
        onValuesChange={() => redeem.reset()}
        requiredMark={false}
      >
        <Form.Item
          name="code"
          rules={[{ required: true, whitespace: true, message: t('redeem.required') }]}
          style={{ flex: '1 1 280px' }}
        >
          <Input
            placeholder="TSRA-XXXX-XXXX-XXXX-XXXX"
            autoComplete="off"
            spellCheck={false}
            maxLength={64}
            data-testid="redeem-input"
            aria-label={t('redeem.label')}
          />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={redeem.isPending}
            data-testid="redeem-submit"
          >
            {t('redeem.submit')}
          </Button>
        </Form.Item>
      </Form>
      {formError ? (
        <Alert
          type="error"
          showIcon
          message={formError}
          data-testid="redeem-error"
          style={{ marginTop: 12 }}
          action={
            needsVerifiedEmail ? (
              <Button
                size="small"
                loading={resend.isPending}
                onClick={() => resend.mutate({ locale })}
                data-testid="redeem-verify-resend"
              >
                {t('verify.resend')}
              </Button>
            ) : undefined
          }
        />
      ) : null}
      {redeem.data ? (
        <div style={{ marginTop: 12 }}>
          <GrantText result={redeem.data} />
        </div>
      ) : null}
    </Card>
  );
}
