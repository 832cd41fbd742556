import { Flex } from 'antd';
import { PageHeader } from '../components/PageHeader.tsx';
import { useT } from '../i18n/useT.ts';
import { ApiKeysCard } from './account/ApiKeysCard.tsx';
import { BillingCard } from './account/BillingCard.tsx';
import { DangerZoneCard } from './account/DangerZoneCard.tsx';
import { IdentitiesCard } from './account/IdentitiesCard.tsx';
import { NotificationsCard } from './account/NotificationsCard.tsx';
import { PasswordCard } from './account/PasswordCard.tsx';
import { ProfileCard } from './account/ProfileCard.tsx';
import { SessionsCard } from './account/SessionsCard.tsx';
import { SignOutCard } from './account/SignOutCard.tsx';
import { TwoFactorCard } from './account/TwoFactorCard.tsx';
import { YourDataCard } from './account/YourDataCard.tsx';

export function AccountPage() {
  const t = useT();
  return (
    <div data-testid="account-page">
      <PageHeader title={t('account.title')} />
      <Flex vertical gap={16}>
        <ProfileCard />
        <BillingCard />
        <PasswordCard />
        <TwoFactorCard />
        <IdentitiesCard />
        <SessionsCard />
        <ApiKeysCard />
        <NotificationsCard />
        <YourDataCard />
        <SignOutCard />
        <DangerZoneCard />
      </Flex>
    </div>
  );
}
