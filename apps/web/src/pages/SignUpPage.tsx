import { Alert, Spin } from 'antd';
import { Link, useLocation, useSearchParams } from 'react-router';
import { useLocale } from '../i18n/useT.ts';
import { AuthLayout } from '../layout/AuthLayout.tsx';
import { describeError } from '../lib/errorMessages.ts';
import { toAppError } from '../lib/errors.ts';
import { trpc } from '../lib/trpc.ts';
import { CredentialsForm } from './auth/CredentialsForm.tsx';
import { SsoButtons, SsoError } from './auth/SsoButtons.tsx';
import { useAfterAuth } from './auth/useAfterAuth.ts';

/**
 * `/sign-up`, and `/sign-up?invite=…` from an invite mail. While sign-up is closed or invite-only
 * (decision 022) the page says so instead of offering a form that can only be refused; an invite
 * prefills its address (signing up with it counts as verified).
 */
export function SignUpPage() {
  const { t, locale, lookup } = useLocale();
  const location = useLocation();
  const [params] = useSearchParams();
  const inviteToken = params.get('invite') ?? '';
  const afterAuth = useAfterAuth();
  const signUp = trpc.auth.signUp.useMutation({ onSuccess: afterAuth });
  const status = trpc.signup.status.useQuery(undefined, { staleTime: 0 });
  const invite = trpc.signup.invite.useQuery(
    { token: inviteToken },
    { enabled: inviteToken !== '', retry: false },
  );

  const footer = (
    <>
      {t('signUp.haveAccount')}{' '}
      <Link to="/sign-in" state={location.state} data-testid="to-signin">
        {t('signUp.toSignIn')}
      </Link>
    </>
  );
  const loading = status.isPending || (inviteToken !== '' && invite.isPending);
  const invitedEmail = invite.data?.email;
  // Without a usable invite, the admin's mode decides (an unreachable server: offer the form).
  const mode = invitedEmail ? 'open' : (status.data?.mode ?? 'open');

  return (
    <AuthLayout title={t('signUp.title')} subtitle={t('signUp.subtitle')} footer={footer}>
      {loading ? (
        <Spin />
      ) : (
        <>
          {invite.error ? (
            <Alert
              type="error"
              showIcon
              className="credentials-form__alert"
              message={describeError(toAppError(invite.error), lookup)}
              data-testid="signup-invite-invalid"
            />
          ) : null}
          {invitedEmail ? (
            <Alert
              type="info"
              showIcon
              className="credentials-form__alert"
              message={t('signUp.invitedAs', { email: invitedEmail })}
              data-testid="signup-invited"
            />
          ) : null}
          <SsoError />
          {mode === 'open' ? (
            <CredentialsForm
              testIdPrefix="signup"
              isSignUp
              submitLabel={t('signUp.submit')}
              pending={signUp.isPending}
              error={signUp.error}
              initialEmail={invitedEmail}
              onSubmit={(values) =>
                signUp.mutate({
                  ...values,
                  locale,
                  ...(invitedEmail ? { invite: inviteToken } : {}),
                })
              }
              onEdit={() => {
                if (signUp.error) signUp.reset();
              }}
            />
          ) : (
            <Alert
              type="warning"
              showIcon
              message={t(mode === 'closed' ? 'signUp.closed' : 'signUp.inviteOnly')}
              data-testid={mode === 'closed' ? 'signup-closed' : 'signup-invite-only'}
            />
          )}
          {mode === 'open' ? <SsoButtons /> : null}
        </>
      )}
    </AuthLayout>
  );
}
