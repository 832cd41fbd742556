import { Card, Descriptions, Tag } from 'antd';
import { useLocale } from '../../i18n/useT.ts';
import { formatDate } from '../../lib/format.ts';
import { useMe } from '../../lib/session.ts';

export function ProfileCard() {
  const me = useMe();
  const { t, locale } = useLocale();
  const items = [
    {
      key: 'email',
      label: t('account.email'),
      children: <span data-testid="profile-email">{me.user.email}</span>,
    },
    ...(me.user.displayName
      ? [{ key: 'name', label: t('account.displayName'), children: me.user.displayName }]
      : []),
    {
      key: 'since',
      label: t('account.memberSince'),
      children: formatDate(me.user.createdAt, locale),
    },
    {
      key: 'role',
      label: t('account.role'),
      children: me.isPlatformAdmin ? (
        <Tag color="purple">{t('account.rolePlatformAdmin')}</Tag>
      ) : (
        <Tag>{t('account.roleMember')}</Tag>
      ),
    },
  ];
  return (
    <Card title={t('account.profile')} variant="borderless">
      <Descriptions column={{ xs: 1, md: 2 }} items={items} />
    </Card>
  );
}
