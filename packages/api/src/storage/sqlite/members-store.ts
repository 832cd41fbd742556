// The SQLite adapter of the members store: today's synchronous functions behind the port, unchanged
// (the member-context read path keeps its prepared statements and its synchronous cache; a hit
// costs one resolved promise more than before).
import type { Db } from '@tessera/db';
import { tenants } from '@tessera/db';
import { and, eq } from 'drizzle-orm';
import {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  verifyApiKey,
} from '../../domain/api-keys/api-keys.ts';
import {
  expireLapsedMemberships,
  sweepLapsedMemberships,
} from '../../domain/memberships/expire-lapsed.ts';
import { grantMark } from '../../domain/memberships/grant-mark.ts';
import { listActiveMemberships } from '../../domain/memberships/list-active-memberships.ts';
import { listUserMemberships } from '../../domain/memberships/list-user-memberships.ts';
import { revokeMark } from '../../domain/memberships/revoke-mark.ts';
import { startTrial } from '../../domain/memberships/start-trial.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { memberForApiKey } from '../../member/api-key-members.ts';
import { authenticate } from '../../member/auth-cache.ts';
import { readAuthEpoch } from '../../member/auth-epoch.ts';
import { forgetMemberContextsBefore } from '../../member/forget-before-epoch.ts';
import { buildMemberContext } from '../../member/member-context.ts';
import { memberStatements } from '../../member/member-statements.ts';
import type { MemberAuth, MemberStore } from '../members-store.ts';

export function createSqliteMemberStore(db: Db): MemberStore {
  return {
    async authenticate(token, now) {
      const auth = authenticate(db, token, now);
      if (!auth) return null;
      const member = auth.member;
      const signedIn: MemberAuth = {
        session: auth.session,
        user: auth.user,
        member: async (at) => member(at),
      };
      return signedIn;
    },
    async verifyApiKey(key, now) {
      return verifyApiKey(db, key, now);
    },
    async memberForApiKey(key, now) {
      return memberForApiKey(db, key, now);
    },
    async currentMember(auth, now) {
      if (!memberStatements(db.$client).userEnabled.get(auth.user.id)) return null;
      return buildMemberContext(db, auth, now);
    },
    async isVendorTenant(tenantId) {
      return (
        db
          .select({ id: tenants.id })
          .from(tenants)
          .where(and(eq(tenants.id, tenantId), eq(tenants.kind, 'vendor')))
          .get() !== undefined
      );
    },
    async readAuthEpoch() {
      return readAuthEpoch(db.$client);
    },
    forgetMemberContextsBefore(epoch) {
      return forgetMemberContextsBefore(db.$client, epoch);
    },
    async listActiveMemberships(userId, now) {
      return listActiveMemberships(db, userId, now);
    },
    async listUserMemberships(input) {
      return listUserMemberships(db, input);
    },
    async grantMark(input) {
      return grantMark(db, input);
    },
    async revokeMark(input) {
      return revokeMark(db, input);
    },
    async startTrial(input) {
      return startTrial(db, input);
    },
    async sweepLapsedMemberships(input) {
      return sweepLapsedMemberships(db, input);
    },
    async expireLapsedMemberships(input) {
      return db.transaction((tx) => expireLapsedMemberships(tx, input), IMMEDIATE);
    },
    async createApiKey(input) {
      return createApiKey(db, input);
    },
    async listApiKeys(userId) {
      return listApiKeys(db, userId);
    },
    async revokeApiKey(input) {
      revokeApiKey(db, input);
    },
  };
}
