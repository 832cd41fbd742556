import { Link, useLocation } from 'react-router';
import { useT } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { trpc } from '../lib/trpc.ts';
import { CredentialsForm } from './auth/CredentialsForm.tsx';
import { useAfterAuth } from './auth/useAfterAuth.ts';

export function SignInPage() {
  const t = useT();
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
      <CredentialsForm
        testIdPrefix="signin"
        isSignUp={false}
        submitLabel={t('signIn.submit')}
        pending={signIn.isPending}
        error={signIn.error}
        onSubmit={(values) => signIn.mutate(values)}
        onEdit={() => {
          if (signIn.error) signIn.reset();
        }}
      />
    </AuthLayout>
  );
}
