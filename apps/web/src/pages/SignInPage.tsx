import { Link, useLocation } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { trpc } from '../lib/trpc.ts';
import { CredentialsForm } from './auth/CredentialsForm.tsx';
import { SsoButtons, SsoError } from './auth/SsoButtons.tsx';
import { useAfterAuth } from './auth/useAfterAuth.ts';

export function SignInPage() {
  const { t, locale } = useLocale();
  const location = useLocation();
  const afterAuth = useAfterAuth();
  const signIn = trpc.auth.signIn.useMutation({ onSuccess: afterAuth });
  return (
    <AuthLayout
      title={t('signIn.title')}
      subtitle={t('signIn.subtitle')}
      footer={
        <>
          {t('signIn.noAccount')}{' '}
          <Link to="/sign-up" state={location.state} data-testid="to-signup">
            {t('signIn.toSignUp')}
          </Link>
        </>
      }
    >
      <SsoError />
      <CredentialsForm
        testIdPrefix="signin"
        isSignUp={false}
        submitLabel={t('signIn.submit')}
        pending={signIn.isPending}
        error={signIn.error}
        onSubmit={(values) => signIn.mutate({ ...values, locale })}
        onEdit={() => {
          if (signIn.error) signIn.reset();
        }}
      />
      <div className="credentials-form__forgot">
        <Link to="/forgot-password" data-testid="to-forgot">
          {t('signIn.forgot')}
        </Link>
      </div>
      <SsoButtons />
    </AuthLayout>
  );
}
