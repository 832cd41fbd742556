import { useLocation, useNavigate } from 'react-router';
import { targetAfterSignIn } from '../../layout/guards.tsx';
import { useSignedIn } from '../../lib/session.ts';
import type { Me } from '../../lib/trpc.ts';

/** After a successful sign-in/up: refresh `auth.me`, then go where the visitor was headed. */
export function useAfterAuth() {
  const signedIn = useSignedIn();
  const navigate = useNavigate();
  const location = useLocation();
  return async (me: Me) => {
    await signedIn(me);
    navigate(targetAfterSignIn(location.state), { replace: true });
  };
}
