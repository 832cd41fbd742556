import { DownOutlined, LogoutOutlined, UserOutlined } from '@ant-design/icons';
import { App, Avatar, Button, Dropdown, type MenuProps, Tag } from 'antd';
import { useNavigate } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { describeError } from '../lib/errorMessages.ts';
import { toAppError } from '../lib/errors.ts';
import { useMe, useSignedOut } from '../lib/session.ts';
import { trpc } from '../lib/trpc.ts';

/** Header avatar with the member's email, a link to Account and Sign out. */
export function UserMenu() {
  const me = useMe();
  const { t, lookup } = useLocale();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const signedOut = useSignedOut();
  const signOut = trpc.auth.signOut.useMutation({
    onSuccess: signedOut,
    onError: (error) => void message.error(describeError(toAppError(error), lookup)),
  });

  const items: MenuProps['items'] = [
    {
      key: 'who',
      type: 'group',
      label: (
        <div className="user-menu__who">
          <div>{t('nav.signedInAs')}</div>
          <strong>{me.user.email}</strong>
        </div>
      ),
    },
    { type: 'divider' },
    { key: 'account', icon: <UserOutlined />, label: t('nav.account') },
    {
      key: 'sign-out',
      icon: <LogoutOutlined />,
      label: <span data-testid="user-menu-signout">{t('nav.signOut')}</span>,
      danger: true,
    },
  ];
  const onClick: MenuProps['onClick'] = ({ key }) => {
    if (key === 'account') navigate('/account');
    if (key === 'sign-out') signOut.mutate();
  };

  const initial = (me.user.displayName || me.user.email).charAt(0).toUpperCase();
  return (
    <Dropdown menu={{ items, onClick }} trigger={['click']} placement="bottomRight">
      <Button type="text" className="user-menu" data-testid="user-menu">
        <Avatar size="small" className="user-menu__avatar">
          {initial}
        </Avatar>
        <span className="user-menu__email">{me.user.email}</span>
        {me.isPlatformAdmin ? (
          <Tag color="purple" className="user-menu__tag">
            {t('nav.adminBadge')}
          </Tag>
        ) : null}
        <DownOutlined className="user-menu__caret" />
      </Button>
    </Dropdown>
  );
}
