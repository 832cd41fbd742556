import { SlidersOutlined } from '@ant-design/icons';
import { Alert, App, Button, Card, Form, Typography } from 'antd';
import { useEffect } from 'react';
import { LimitInput } from '../../components/forms/LimitInput.tsx';
import { type FieldMap, useServerErrors } from '../../components/forms/useServerErrors.ts';
import { useLocale } from '../../i18n/useT.ts';
import { formatCount } from '../../lib/money.ts';
import { trpc, type UsageSummary } from '../../lib/trpc.ts';

interface CapsValues {
  dailyRequestCap: number | null;
  monthlyCreditCap: number | null;
}

const FIELDS: FieldMap = {
  dailyRequestCap: 'dailyRequestCap',
  monthlyCreditCap: 'monthlyCreditCap',
};
const CAP_MAX = 1_000_000_000_000;

/**
 * The member's own limits (`usage.setCaps`): a daily request cap at most the plan's (the server
 * says ABOVE_PLAN on the field otherwise) and a monthly credit cap; "No cap" sends null.
 */
export function CapsCard({ summary }: { summary: UsageSummary }) {
  const { t, locale } = useLocale();
  const { message } = App.useApp();
  const utils = trpc.useUtils();
  const [form] = Form.useForm<CapsValues>();
  const setCaps = trpc.usage.setCaps.useMutation({
    onSuccess: () => void message.success(t('caps.saved')),
    onSettled: () => utils.usage.summary.invalidate(),
  });
  const formError = useServerErrors(form, setCaps.error, FIELDS);
  const { dailyRequestCap, monthlyCreditCap } = summary.caps;
  const planLimit = summary.day.planLimit;

  // Show the saved caps, also when they change elsewhere — unless the member is editing.
  useEffect(() => {
    if (!form.isFieldsTouched()) form.setFieldsValue({ dailyRequestCap, monthlyCreditCap });
  }, [form, dailyRequestCap, monthlyCreditCap]);

  const submit = (values: CapsValues) =>
    setCaps.mutate(
      { dailyRequestCap: values.dailyRequestCap, monthlyCreditCap: values.monthlyCreditCap },
      {
        onSuccess: (saved) => {
          // Saved: the form shows the stored caps again and follows later changes.
          form.resetFields();
          form.setFieldsValue(saved);
        },
      },
    );

  return (
    <Card
      variant="borderless"
      data-testid="caps-card"
      title={
        <span className="card-title-icon">
          <SlidersOutlined /> {t('caps.title')}
        </span>
      }
    >
      <Typography.Paragraph type="secondary">{t('caps.intro')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{ dailyRequestCap, monthlyCreditCap }}
        onFinish={submit}
        onValuesChange={() => setCaps.reset()}
      >
        {formError ? (
          <Alert type="error" showIcon className="page-alert" title={formError} />
        ) : null}
        <Form.Item
          name="dailyRequestCap"
          label={t('caps.daily')}
          extra={
            planLimit === null
              ? t('caps.dailyHintUnlimited')
              : t('caps.dailyHint', { limit: formatCount(planLimit, locale) })
          }
        >
          <LimitInput testId="caps-daily" nullLabel={t('caps.noCap')} max={CAP_MAX} />
        </Form.Item>
        <Form.Item name="monthlyCreditCap" label={t('caps.monthly')} extra={t('caps.monthlyHint')}>
          <LimitInput testId="caps-monthly" nullLabel={t('caps.noCap')} max={CAP_MAX} />
        </Form.Item>
        <Button
          type="primary"
          htmlType="submit"
          loading={setCaps.isPending}
          data-testid="caps-save"
        >
          {t('caps.save')}
        </Button>
      </Form>
    </Card>
  );
}
