import { DownloadOutlined, GiftOutlined } from '@ant-design/icons';
import {
  Alert,
  Button,
  Card,
  Empty,
  Flex,
  Form,
  Input,
  InputNumber,
  Radio,
  Select,
  Table,
  type TableColumnsType,
  Typography,
} from 'antd';
import { useState } from 'react';
import { useServerErrors } from '../../components/forms/useServerErrors.ts';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { codesCsv, csvFileName, downloadCsv } from '../../lib/codesCsv.ts';
import { formatCredits } from '../../lib/credits.ts';
import { formatDateTime } from '../../lib/format.ts';
import { type CodeBatchRow, type GeneratedBatch, trpc } from '../../lib/trpc.ts';

interface BatchForm {
  kind: 'plan' | 'credits';
  planKey?: string;
  credits?: number;
  count: number;
  days?: number | null;
  validDays?: number | null;
  note?: string;
}

const FIELDS = {
  planKey: 'planKey',
  credits: 'credits',
  count: 'count',
  days: 'days',
  expiresAt: 'validDays',
  note: 'note',
} as const;

/** What a batch grants, in words. */
function useGrantLabel() {
  const { t, locale } = useLocale();
  return (batch: { planKey: string | null; days: number | null; credits: number | null }) =>
    batch.planKey
      ? t('codes.grantPlan', { plan: batch.planKey, days: batch.days ?? 0 })
      : t('codes.grantCredits', { credits: formatCredits(batch.credits ?? 0, locale) });
}

/** The batch just generated: its codes, shown once, and the CSV to keep them. */
function GeneratedCodes({ generated }: { generated: GeneratedBatch }) {
  const { t } = useLocale();
  const grantLabel = useGrantLabel();
  const download = () =>
    downloadCsv(csvFileName(generated.batch), codesCsv(generated.batch, generated.codes));
  return (
    <Alert
      type="success"
      showIcon
      data-testid="codes-generated"
      message={t('codes.generated', {
        count: generated.codes.length,
        grant: grantLabel(generated.batch),
      })}
      description={
        <Flex vertical gap={8}>
          <Typography.Text type="warning">{t('codes.shownOnce')}</Typography.Text>
          <Button icon={<DownloadOutlined />} onClick={download} data-testid="codes-download">
            {t('codes.downloadCsv')}
          </Button>
          <Typography.Paragraph
            code
            copyable={{ text: generated.codes.join('\n') }}
            className="codes-list"
            data-testid="codes-list"
          >
            {generated.codes.join('\n')}
          </Typography.Paragraph>
        </Flex>
      }
    />
  );
}

/**
 * Admin → Payments → Redemption codes: generate a batch for a plan or for credits, download its
 * codes as CSV (only then: they are stored hashed), and see every batch with how many are used.
 */
export function RedemptionCodesCard() {
  const { t, locale } = useLocale();
  const [form] = Form.useForm<BatchForm>();
  const kind = Form.useWatch('kind', form) ?? 'plan';
  const utils = trpc.useUtils();
  const plans = trpc.admin.plans.list.useQuery();
  const batches = trpc.admin.codes.batches.useQuery();
  const [generated, setGenerated] = useState<GeneratedBatch | null>(null);
  const generate = trpc.admin.codes.generate.useMutation({
    onSuccess: (result) => {
      setGenerated(result);
      void utils.admin.codes.batches.invalidate();
    },
  });
  const formError = useServerErrors(form, generate.error, FIELDS);
  const grantLabel = useGrantLabel();

  const submit = (values: BatchForm) => {
    const note = values.note?.trim() || undefined;
    // "Valid for N days" from now; the server stores the moment.
    const expiresAt = values.validDays
      ? new Date(Date.now() + values.validDays * 86_400_000).toISOString()
      : undefined;
    if (values.kind === 'plan') {
      generate.mutate({
        planKey: values.planKey ?? '',
        count: values.count,
        days: values.days ?? undefined,
        note,
        expiresAt,
      });
    } else {
      generate.mutate({ credits: values.credits ?? 0, count: values.count, note, expiresAt });
    }
  };

  const columns: TableColumnsType<CodeBatchRow> = [
    {
      key: 'created',
      title: t('codes.col.created'),
      render: (_, b) => <span className="nowrap">{formatDateTime(b.createdAt, locale)}</span>,
    },
    {
      key: 'grant',
      title: t('codes.col.grant'),
      render: (_, b) => <span data-testid="code-batch-grant">{grantLabel(b)}</span>,
    },
    {
      key: 'redeemed',
      title: t('codes.col.redeemed'),
      align: 'right',
      render: (_, b) => (
        <span data-testid="code-batch-redeemed">
          {b.redeemed} / {b.count}
        </span>
      ),
    },
    {
      key: 'expires',
      title: t('codes.col.expires'),
      render: (_, b) =>
        b.expiresAt ? (
          <span className="nowrap">{formatDateTime(b.expiresAt, locale)}</span>
        ) : (
          <span className="muted">{t('codes.never')}</span>
        ),
    },
    {
      key: 'by',
      title: t('codes.col.by'),
      render: (_, b) => b.createdByEmail ?? b.createdByLabel ?? '—',
    },
    { key: 'note', title: t('codes.col.note'), render: (_, b) => b.note ?? '' },
  ];

  return (
    <Card
      variant="borderless"
      data-testid="redemption-codes"
      title={
        <span className="card-title-icon">
          <GiftOutlined /> {t('codes.title')}
        </span>
      }
    >
      <Typography.Paragraph type="secondary">{t('codes.lead')}</Typography.Paragraph>
      <Form
        form={form}
        layout="inline"
        initialValues={{ kind: 'plan', count: 10 }}
        onFinish={submit}
        onValuesChange={() => generate.reset()}
        requiredMark={false}
        className="codes-form"
      >
        <Form.Item name="kind">
          <Radio.Group
            optionType="button"
            options={[
              { value: 'plan', label: t('codes.kind.plan') },
              { value: 'credits', label: t('codes.kind.credits') },
            ]}
          />
        </Form.Item>
        {kind === 'plan' ? (
          <>
            <Form.Item
              name="planKey"
              rules={[{ required: true, message: t('codes.planRequired') }]}
            >
              <Select
                style={{ minWidth: 200 }}
                placeholder={t('codes.plan')}
                loading={plans.isPending}
                data-testid="codes-plan"
                options={(plans.data ?? []).map((p) => ({
                  value: p.key,
                  label: `${p.name} (${p.key})`,
                }))}
              />
            </Form.Item>
            <Form.Item name="days" tooltip={t('codes.daysHint')}>
              <InputNumber
                min={1}
                max={36500}
                placeholder={t('codes.days')}
                data-testid="codes-days"
              />
            </Form.Item>
          </>
        ) : (
          <Form.Item
            name="credits"
            rules={[{ required: true, message: t('codes.creditsRequired') }]}
          >
            <InputNumber
              min={1}
              max={1_000_000_000}
              placeholder={t('codes.credits')}
              data-testid="codes-credits"
            />
          </Form.Item>
        )}
        <Form.Item name="count" label={t('codes.count')} rules={[{ required: true }]}>
          <InputNumber min={1} max={1000} data-testid="codes-count" />
        </Form.Item>
        <Form.Item name="validDays" tooltip={t('codes.validDaysHint')}>
          <InputNumber
            min={1}
            max={3650}
            placeholder={t('codes.validDays')}
            data-testid="codes-valid-days"
          />
        </Form.Item>
        <Form.Item name="note">
          <Input placeholder={t('codes.note')} maxLength={200} />
        </Form.Item>
        <Form.Item>
          <Button
            type="primary"
            htmlType="submit"
            loading={generate.isPending}
            data-testid="codes-generate"
          >
            {t('codes.generate')}
          </Button>
        </Form.Item>
      </Form>
      {formError ? (
        <Alert type="error" showIcon message={formError} style={{ marginTop: 12 }} />
      ) : null}
      {generated ? (
        <div style={{ marginTop: 12 }}>
          <GeneratedCodes generated={generated} />
        </div>
      ) : null}
      <QueryError error={batches.error} onRetry={() => void batches.refetch()} />
      <Table
        style={{ marginTop: 16 }}
        rowKey="id"
        size="small"
        columns={columns}
        dataSource={batches.data ?? []}
        loading={batches.isPending}
        pagination={false}
        data-testid="code-batches"
        locale={{ emptyText: <Empty description={t('codes.empty')} /> }}
      />
    </Card>
  );
}
