import { Alert } from 'antd';
import { useEffect, useState } from 'react';
import { Link, useLocation } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { toAppError } from '../lib/errors.ts';
import { trpc } from '../lib/trpc.ts';
import { CredentialsForm } from './auth/CredentialsForm.tsx';
import { SecondFactorForm } from './auth/SecondFactorForm.tsx';
import { SsoButtons, SsoError } from './auth/SsoButtons.tsx';
import { useAfterAuth } from './auth/useAfterAuth.ts';

const SSO_SECOND_FACTOR = /^#second-factor=([A-Za-z0-9._~%-]+)$/;

/** The pending token an SSO sign-in left in the fragment for the code step (decision 024). */
function ssoPendingToken(hash: string): string | null {
  const match = SSO_SECOND_FACTOR.exec(hash);
  return match?.[1] ? decodeURIComponent(match[1]) : null;
}

/**
 * Sign-in in one or two steps: the password, then — for an account with two-factor authentication —
 * a code, traded together with the pending token the password step answered.
 */
export function SignInPage() {
  const { t, locale } = useLocale();
  const location = useLocation();
  const afterAuth = useAfterAuth();
  const [pendingToken, setPendingToken] = useState(() => ssoPendingToken(location.hash));
  // Out of the address bar and history once read: the token is good for one code step only.
  useEffect(() => {
    if (ssoPendingToken(window.location.hash)) {
      window.history.replaceState(window.history.state, '', window.location.pathname);
    }
  }, []);
  const [challengeExpired, setChallengeExpired] = useState(false);
  const signIn = trpc.auth.signIn.useMutation({
    onSuccess: async (answer) => {
      if (answer.status === 'second_factor_required') {
        setChallengeExpired(false);
        setPendingToken(answer.pendingToken);
        return;
      }
      await afterAuth(answer);
    },
  });
  const secondFactor = trpc.auth.signInSecondFactor.useMutation({
    onSuccess: afterAuth,
    onError: (error) => {
      // The pending token is spent or stale: back to the password, saying why.
      if (toAppError(error).domainCode === 'TWO_FACTOR_CHALLENGE_INVALID') {
        setPendingToken(null);
        setChallengeExpired(true);
        signIn.reset();
      }
    },
  });

  if (pendingToken) {
    return (
      <AuthLayout title={t('signIn.codeTitle')} subtitle={t('signIn.subtitle')} footer={null}>
        <SecondFactorForm
          pending={secondFactor.isPending}
          error={secondFactor.error}
          onSubmit={(code) => secondFactor.mutate({ pendingToken, code, locale })}
          onBack={() => {
            setPendingToken(null);
            secondFactor.reset();
            signIn.reset();
          }}
          onEdit={() => {
            if (secondFactor.error) secondFactor.reset();
          }}
        />
      </AuthLayout>
    );
  }

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
      {challengeExpired ? (
        <Alert
          type="warning"
          showIcon
          title={t('signIn.challengeExpired')}
          className="credentials-form__alert"
          data-testid="signin-challenge-expired"
        />
      ) : null}
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
          setChallengeExpired(false);
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
