import { CreditCardOutlined } from '@ant-design/icons';
import {
  Alert,
  App,
  Button,
  Card,
  Flex,
  Table,
  type TableColumnsType,
  Tag,
  Typography,
} from 'antd';
import { QueryError } from '../../components/QueryError.tsx';
import { useLocale } from '../../i18n/useT.ts';
import { describeError } from '../../lib/errorMessages.ts';
import { toAppError } from '../../lib/errors.ts';
import { formatDate } from '../../lib/format.ts';
import { formatMoney } from '../../lib/money.ts';
import { testId } from '../../lib/testId.ts';
import { type InvoiceRow, trpc } from '../../lib/trpc.ts';

const ROW_PROPS = testId('invoice-row');
const STATUS_COLORS: Record<string, string> = { paid: 'green', open: 'gold' };

/** Invoices come from Stripe on each visit; only asked for once Stripe is known to be set up. */
function InvoicesTable() {
  const { t, locale } = useLocale();
  const invoices = trpc.billing.invoices.useQuery();
  const columns: TableColumnsType<InvoiceRow> = [
    { key: 'number', title: t('billing.col.number'), render: (_, row) => row.number ?? '—' },
    {
      key: 'date',
      title: t('billing.col.date'),
      render: (_, row) => formatDate(row.createdAt, locale),
    },
    {
      key: 'amount',
      title: t('billing.col.amount'),
      align: 'right',
      render: (_, row) => formatMoney(row.amountMinor, row.currency, locale),
    },
    {
      key: 'status',
      title: t('billing.col.status'),
      render: (_, row) =>
        row.status ? (
          <Tag color={STATUS_COLORS[row.status]} data-testid="invoice-status">
            {t(`billing.status.${row.status}` as 'billing.status.paid')}
          </Tag>
        ) : null,
    },
    {
      key: 'view',
      title: '',
      align: 'right',
      render: (_, row) =>
        row.hostedInvoiceUrl ? (
          <a href={row.hostedInvoiceUrl} target="_blank" rel="noreferrer noopener">
            {t('billing.view')}
          </a>
        ) : null,
    },
  ];
  return (
    <>
      <Typography.Title level={5}>{t('billing.invoices')}</Typography.Title>
      <QueryError error={invoices.error} onRetry={() => void invoices.refetch()} />
      {invoices.error ? null : (
        <Table
          rowKey="id"
          size="middle"
          columns={columns}
          dataSource={invoices.data}
          loading={invoices.isPending}
          pagination={false}
          scroll={{ x: 'max-content' }}
          onRow={() => ROW_PROPS}
          locale={{ emptyText: t('billing.invoicesEmpty') }}
          data-testid="invoices"
        />
      )}
    </>
  );
}

/** Account → Billing: the Stripe Customer Portal and past invoices, or how to buy without Stripe. */
export function BillingCard() {
  const { t, lookup } = useLocale();
  const { message } = App.useApp();
  const status = trpc.billing.status.useQuery();
  const portal = trpc.billing.portal.useMutation({
    onSuccess: ({ url }) => window.location.assign(url),
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
  });
  return (
    <Card
      title={t('billing.title')}
      variant="borderless"
      loading={status.isPending}
      data-testid="billing-card"
      extra={
        status.data?.enabled ? (
          <Button
            icon={<CreditCardOutlined />}
            loading={portal.isPending || portal.isSuccess}
            onClick={() => portal.mutate()}
            data-testid="billing-portal"
          >
            {t('billing.manage')}
          </Button>
        ) : null
      }
    >
      <QueryError error={status.error} onRetry={() => void status.refetch()} />
      {status.data && !status.data.enabled ? (
        <Alert type="info" showIcon title={t('billing.offline')} data-testid="billing-offline" />
      ) : null}
      {status.data?.enabled ? (
        <Flex vertical gap={12}>
          <Typography.Text type="secondary">{t('billing.lead')}</Typography.Text>
          <InvoicesTable />
        </Flex>
      ) : null}
    </Card>
  );
}
