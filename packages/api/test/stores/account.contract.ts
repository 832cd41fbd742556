// The account store's contract (docs/decisions/034): every method of AccountStore, its guards and
// refusals (nothing written), and the races that matter, on whichever engine `openEngine` gives.

import { leavingContract } from './account.leaving.contract.ts';
import { signupContract } from './account.signup.contract.ts';
import { twoFactorContract } from './account.two-factor.contract.ts';
import { twoFactorChallengeContract } from './account.two-factor-challenge.contract.ts';
import type { OpenEngine } from './engine.ts';

export function accountContract(openEngine: OpenEngine) {
  twoFactorContract(openEngine);
  twoFactorChallengeContract(openEngine);
  signupContract(openEngine);
  leavingContract(openEngine);
}
