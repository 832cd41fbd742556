// The auth store's contract (docs/decisions/034, 038): one suite for every engine, run by
// auth.sqlite.test.ts (`pnpm test`) and auth.pg.test.ts (`pnpm test:scale`).
import { describe } from 'vitest';
import { authSessionsContract } from './auth.sessions.contract.ts';
import { authSignUpContract } from './auth.sign-up.contract.ts';
import { authSsoContract } from './auth.sso.contract.ts';
import { authUsersContract } from './auth.users.contract.ts';
import type { OpenEngine } from './engine.ts';

export function authContract(openEngine: OpenEngine) {
  describe('throttles, credentials and sessions', () => authSessionsContract(openEngine));
  describe('users', () => authUsersContract(openEngine));
  describe('sign-up', () => authSignUpContract(openEngine));
  describe('sign-in through an identity provider', () => authSsoContract(openEngine));
}
