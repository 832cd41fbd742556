// The PostgreSQL adapter of the members store (drizzle-orm's pg dialect over node-postgres): the
// read path as named statements on the pool behind the asynchronous member cache (decision 037),
// the changes as drizzle transactions (storage/pg/members/).
import type { PgDb } from '@tessera/db/pg';
import { createAsyncMemberCache } from '../../member/async-member-cache.ts';
import type { MemberStore } from '../members-store.ts';
import { createPgApiKeys } from './members/api-keys.ts';
import { createPgMemberships } from './members/memberships.ts';
import { createPgMemberReads } from './members/reads.ts';

export function createPgMemberStore(db: PgDb): MemberStore {
  const reads = createPgMemberReads(db.$client);
  const cache = createAsyncMemberCache(reads.source);
  const keys = createPgApiKeys(db, reads);
  const changes = createPgMemberships(db);
  return {
    authenticate: cache.authenticate,
    verifyApiKey: keys.verifyApiKey,
    memberForApiKey: cache.memberForApiKey,
    currentMember: reads.currentMember,
    isVendorTenant: reads.isVendorTenant,
    readAuthEpoch: reads.source.readEpoch,
    forgetMemberContextsBefore: cache.forgetBefore,
    listActiveMemberships: reads.listActiveMemberships,
    listUserMemberships: changes.listUserMemberships,
    grantMark: changes.grantMark,
    revokeMark: changes.revokeMark,
    startTrial: changes.startTrial,
    sweepLapsedMemberships: changes.sweepLapsedMemberships,
    expireLapsedMemberships: changes.expireLapsedMemberships,
    createApiKey: keys.createApiKey,
    listApiKeys: keys.listApiKeys,
    revokeApiKey: keys.revokeApiKey,
  };
}
