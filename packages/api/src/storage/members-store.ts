// The storage port of the member area (docs/decisions/028, 034, 037): the read path behind every
// gated request (session token → user and member context; /v1 key → member), the auth epoch, and
// the changes of memberships and API keys. One async method per whole transaction or read; rows
// and results are plain values of the domain's types, the same on every engine.
//
// The member caches live behind this port (decision 037): SQLite keeps its synchronous cache (a
// hit awaits nothing but the resolved promise), PostgreSQL an asynchronous one with the same rules.
import type { Membership } from '@tessera/db';
import type { SessionUser, ValidSession } from '../auth/sessions.ts';
import type { GrantMarkInput } from '../domain/memberships/grant-mark.ts';
import type { ActiveMembership } from '../domain/memberships/list-active-memberships.ts';
import type { MemberAuth } from '../member/async-member-cache.ts';
import type { MemberContext } from '../member/member-context.ts';

export type { GrantMarkInput, MemberAuth };

export interface GrantMarkResult {
  membership: Membership;
  markKey: string;
  event: 'membership.granted' | 'membership.extended';
}

export interface RevokeMarkInput {
  userId: string;
  markId: string;
  actorUserId: string | null;
  actorLabel?: string | null;
  reason?: string | null;
  now: Date;
}

export interface RevokeMarkResult {
  membership: Membership;
  markKey: string;
}

export interface StartTrialInput {
  userId: string;
  planId: string;
  now: Date;
}

/** One membership a user has had, live or not (the admin console, the CLI, the data export). */
export interface MembershipRecord {
  id: string;
  markId: string;
  markKey: string;
  markName: string;
  startsAt: Date;
  expiresAt: Date | null;
  status: Membership['status'];
  source: Membership['source'];
  reference: string | null;
  activeNow: boolean;
}

export interface CreateApiKeyInput {
  userId: string;
  name: string;
  actorUserId: string | null;
  actorLabel?: string | null;
  now: Date;
}

/** A new key: `key` is shown once and never stored. */
export interface CreatedApiKey {
  id: string;
  name: string;
  key: string;
  createdAt: Date;
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

export interface VerifiedApiKey {
  keyId: string;
  userId: string;
}

export interface MemberStore {
  /**
   * The session and user behind a session token, or null (an ended session is deleted, a due one
   * touched). Cached per process while the auth epoch holds (decision 007).
   */
  authenticate(token: string, now: Date): Promise<MemberAuth | null>;
  /** The user behind a /v1 bearer key, or null for anything malformed, unknown, revoked or wrong. */
  verifyApiKey(key: string, now: Date): Promise<VerifiedApiKey | null>;
  /** The member context of a verified key's owner at `now` (cached like sessions). */
  memberForApiKey(key: VerifiedApiKey, now: Date): Promise<MemberContext>;
  /**
   * The member context rebuilt now, bypassing every cache (a live stream's watcher re-checks with
   * it after a member event); null once the account is disabled or gone.
   */
  currentMember(
    auth: { user: SessionUser; session: ValidSession },
    now: Date,
  ): Promise<MemberContext | null>;
  /** Whether a vendor tenant of this id exists (a platform admin overseeing a vendor's console). */
  isVendorTenant(tenantId: string): Promise<boolean>;
  /** The current auth epoch (decision 007). */
  readAuthEpoch(): Promise<string>;
  /**
   * Drops the cached member contexts built before `epoch` (another instance announced it,
   * decision 029). In memory only; returns how many were dropped.
   */
  forgetMemberContextsBefore(epoch: number): number;
  /** The marks a user holds at `now` (vendor marks clamped to their ceiling, decision 012). */
  listActiveMemberships(userId: string, now: Date): Promise<ActiveMembership[]>;
  /** Every membership a user has had, newest change first; optionally one tenant's marks only. */
  listUserMemberships(input: {
    userId: string;
    tenantId?: string;
    now: Date;
  }): Promise<MembershipRecord[]>;

  /**
   * Grants or extends a mark (NOT_FOUND for an unknown mark or user, or an `extend` of a mark
   * never held); with its member event and audit row, and the auth epoch moves, in one transaction.
   */
  grantMark(input: GrantMarkInput): Promise<GrantMarkResult>;
  /** Ends a held mark now and lowers the allowance it granted; NOT_FOUND when not held. */
  revokeMark(input: RevokeMarkInput): Promise<RevokeMarkResult>;
  /** A plan's trial, once per user and tenant (TRIAL_USED), granted in the same transaction. */
  startTrial(input: StartTrialInput): Promise<GrantMarkResult>;
  /**
   * Marks up to `limit` lapsed holders' memberships expired (event, audit, allowance lapse), one
   * transaction per user. Returns how many users were swept.
   */
  sweepLapsedMemberships(input: { now: Date; limit?: number }): Promise<number>;
  /** The same for one user (at sign-in), in one transaction; the keys of the marks that lapsed. */
  expireLapsedMemberships(input: { userId: string; now: Date }): Promise<string[]>;

  createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey>;
  listApiKeys(userId: string): Promise<ApiKeyRecord[]>;
  /** Revokes one of the user's live keys; NOT_FOUND otherwise. */
  revokeApiKey(input: { userId: string; keyId: string; now: Date }): Promise<void>;
}
