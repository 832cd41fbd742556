import { Link, useLocation } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { trpc } from '../lib/trpc.ts';
import { CredentialsForm } from './auth/CredentialsForm.tsx';
import { SsoButtons, SsoError } from './auth/SsoButtons.tsx';
import { useAfterAuth } from './auth/useAfterAuth.ts';

export function SignUpPage() {
  const { t, locale } = useLocale();
  const location = useLocation();
  const afterAuth = useAfterAuth();
  const signUp = trpc.auth.signUp.useMutation({ onSuccess: afterAuth });
  return (
    <AuthLayout
      title={t('signUp.title')}
      subtitle={t('signUp.subtitle')}
      footer={
        <>
          {t('signUp.haveAccount')}{' '}
          <Link to="/sign-in" state={location.state} data-testid="to-signin">
            {t('signUp.toSignIn')}
          </Link>
        </>
      }
    >
      <SsoError />
      <CredentialsForm
        testIdPrefix="signup"
        isSignUp
        submitLabel={t('signUp.submit')}
        pending={signUp.isPending}
        error={signUp.error}
        onSubmit={(values) => signUp.mutate({ ...values, locale })}
        onEdit={() => {
          if (signUp.error) signUp.reset();
        }}
      />
      <SsoButtons />
    </AuthLayout>
  );
}
