import { GiftOutlined } from '@ant-design/icons';
import { type TableColumnsType, Tag, Typography } from 'antd';
import { ListEditor } from '../../components/editor/ListEditor.tsx';
import { useEditor } from '../../components/editor/useEditor.ts';
import { useLocale } from '../../i18n/useT.ts';
import type { PackFields, PackRow } from '../../lib/creditPacks.ts';
import { formatCredits } from '../../lib/credits.ts';
import { formatMoney } from '../../lib/money.ts';
import { trpc } from '../../lib/trpc.ts';
import { PackDrawer } from './PackDrawer.tsx';

/** The credit packs the platform sells: list, create, edit (price, Stripe price, on sale). */
export function CreditPacksCard() {
  const { t, locale } = useLocale();
  const utils = trpc.useUtils();
  const packs = trpc.admin.packs.list.useQuery();
  const create = trpc.admin.packs.create.useMutation();
  const update = trpc.admin.packs.update.useMutation();
  const editor = useEditor<PackRow, PackFields>({
    save: async (fields, pack) => {
      if (pack) await update.mutateAsync({ packId: pack.id, fields });
      else await create.mutateAsync({ fields });
      await utils.admin.packs.list.invalidate();
    },
    messages: { created: t('packs.created'), saved: t('packs.saved') },
  });

  const columns: TableColumnsType<PackRow> = [
    {
      key: 'name',
      title: t('packs.col.name'),
      render: (_, pack) => (
        <Typography.Text strong data-testid="pack-row-name">
          {pack.name}
        </Typography.Text>
      ),
    },
    {
      key: 'credits',
      title: t('packs.col.credits'),
      align: 'right',
      render: (_, pack) => formatCredits(pack.credits, locale),
    },
    {
      key: 'price',
      title: t('packs.col.price'),
      align: 'right',
      render: (_, pack) => (
        <span data-testid="pack-row-price">
          {formatMoney(pack.priceMinor, pack.currency, locale)}
        </span>
      ),
    },
    {
      key: 'stripe',
      title: t('packs.col.stripePrice'),
      render: (_, pack) =>
        pack.stripePriceId ? (
          <Typography.Text code copyable data-testid="pack-row-stripe-price">
            {pack.stripePriceId}
          </Typography.Text>
        ) : (
          <span className="muted">{t('packs.notLinked')}</span>
        ),
    },
    {
      key: 'status',
      title: t('packs.col.status'),
      render: (_, pack) =>
        pack.active ? (
          <Tag color="green">{t('packs.active')}</Tag>
        ) : (
          <Tag>{t('packs.inactive')}</Tag>
        ),
    },
  ];

  return (
    <ListEditor
      title={t('packs.title')}
      lead={t('packs.lead')}
      query={packs}
      columns={columns}
      testIdPrefix="pack"
      empty={{ icon: <GiftOutlined className="empty-icon" />, text: t('packs.empty') }}
      create={{ label: t('packs.new'), onClick: () => editor.openFor(null) }}
      edit={{ onClick: editor.openFor }}
    >
      <PackDrawer editor={editor} />
    </ListEditor>
  );
}
