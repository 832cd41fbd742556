// The member-context read path on PostgreSQL: the statements behind every gated request, named so
// each pooled connection parses and plans them once (like SQLite's member-statements.ts). Rows
// come back in SQLite's shapes (ms timestamps as numbers: the pool parses int8; JSON as text), so
// the shared mappers build the same values.
import { secretMatches } from '../../../auth/session-token.ts';
import type { SessionUser, ValidSession } from '../../../auth/sessions.ts';
import { activeMembershipOf } from '../../../domain/memberships/list-active-memberships.ts';
import { DomainError } from '../../../errors.ts';
import type { MemberSource } from '../../../member/async-member-cache.ts';
import { sessionStateAt } from '../../../member/cache-rules.ts';
import type { TenantRoleGrant } from '../../../member/member-context.ts';
import { memberContextOf } from '../../../member/member-context.ts';
import type { MembershipRow, SessionRow } from '../../../member/member-statements.ts';
import { type PgQueryable, statement } from '../pg-query.ts';
import type { RetryOptions } from '../retry.ts';

/** The same access rule as SQLite's `activeMemberships` (member-statements.ts). */
export const ACTIVE_MEMBERSHIPS_SQL = `select m.id as mark_id, m.key as mark_key, m.name as mark_name,
      m.tenant_id, t.name as tenant_name, ms.starts_at, ms.expires_at, ms.source,
      m.entitlements::text as entitlements,
      case when t.kind = 'vendor' then t.ceiling::text end as ceiling
   from memberships ms
   join marks m on m.id = ms.mark_id
   join tenants t on t.id = m.tenant_id
   where ms.user_id = $1 and (ms.expires_at is null or ms.expires_at > $2)
     and t.suspended_at is null`;

export interface VerifiedKeyRow {
  user_id: string;
  secret_hash: Buffer;
  revoked_at: number | null;
  last_used_at: number | null;
}

export function createPgMemberReads(pool: PgQueryable, retry: RetryOptions = {}) {
  const epochRead = statement<{ value: string }>(
    pool,
    'members_auth_epoch',
    "select value from app_meta where key = 'auth_epoch'",
    retry,
  );
  const sessionRead = statement<SessionRow>(
    pool,
    'members_session',
    `select s.id, s.secret_hash, s.user_id, s.created_at, s.last_seen_at, s.expires_at,
            u.email, u.display_name, u.created_at as user_created_at
     from sessions s join users u on u.id = s.user_id
     where s.id = $1 and u.disabled_at is null`,
    retry,
  );
  // Both writes are idempotent, so a retry after a lost answer changes nothing more.
  const touchSession = statement(
    pool,
    'members_touch_session',
    'update sessions set last_seen_at = $1 where id = $2',
    retry,
  );
  const deleteSession = statement(
    pool,
    'members_delete_session',
    'delete from sessions where id = $1',
    retry,
  );
  const rolesRead = statement<{
    tenant_id: string;
    tenant_kind: 'platform' | 'vendor';
    role: string;
  }>(
    pool,
    'members_roles',
    `select tm.tenant_id, t.kind as tenant_kind, tm.role
     from tenant_members tm join tenants t on t.id = tm.tenant_id where tm.user_id = $1`,
    retry,
  );
  const activeRead = statement<MembershipRow>(
    pool,
    'members_active_memberships',
    ACTIVE_MEMBERSHIPS_SQL,
    retry,
  );
  const userRead = statement<{
    id: string;
    email: string;
    display_name: string | null;
    created_at: number;
  }>(
    pool,
    'members_user',
    'select id, email, display_name, created_at from users where id = $1',
    retry,
  );
  const userEnabledRead = statement<{ enabled: number }>(
    pool,
    'members_user_enabled',
    'select 1 as enabled from users where id = $1 and disabled_at is null',
    retry,
  );
  const vendorRead = statement<{ id: string }>(
    pool,
    'members_vendor_exists',
    "select id from tenants where id = $1 and kind = 'vendor'",
    retry,
  );
  const keyRead = statement<VerifiedKeyRow>(
    pool,
    'members_api_key',
    // A disabled account's keys stop working while it is disabled.
    `select k.user_id, k.secret_hash, k.revoked_at, k.last_used_at
     from api_keys k join users u on u.id = k.user_id
     where k.id = $1 and u.disabled_at is null`,
    retry,
  );
  const keyTouch = statement(
    pool,
    'members_api_key_touch',
    'update api_keys set last_used_at = $1 where id = $2',
    retry,
  );

  async function listActiveMemberships(userId: string, now: Date) {
    return (await activeRead([userId, now.getTime()])).map(activeMembershipOf);
  }

  const source: MemberSource = {
    async readEpoch() {
      const [row] = await epochRead([]);
      return row?.value ?? '';
    },
    async resolveSession(token, now) {
      const dot = token.indexOf('.');
      const id = token.slice(0, dot);
      const secret = token.slice(dot + 1);
      const [row] = await sessionRead([id]);
      if (!row || !secretMatches(secret, row.secret_hash)) return null;
      const t = now.getTime();
      const state = sessionStateAt(row, t);
      if (state === 'ended') {
        await deleteSession([row.id]);
        return null;
      }
      if (state === 'touch') await touchSession([t, row.id]);
      const session: ValidSession = {
        id: row.id,
        userId: row.user_id,
        createdAt: new Date(row.created_at),
        lastSeenAt: new Date(state === 'touch' ? t : row.last_seen_at),
        expiresAt: new Date(row.expires_at),
      };
      const user: SessionUser = {
        id: row.user_id,
        email: row.email,
        displayName: row.display_name,
        createdAt: new Date(row.user_created_at),
      };
      return { session, user };
    },
    async buildMember(auth, now) {
      const [roles, memberships] = await Promise.all([
        rolesRead([auth.user.id]),
        listActiveMemberships(auth.user.id, now),
      ]);
      const grants = roles.map(
        (r): TenantRoleGrant => ({
          tenantId: r.tenant_id,
          tenantKind: r.tenant_kind,
          role: r.role as TenantRoleGrant['role'],
        }),
      );
      return memberContextOf(auth, grants, memberships, now);
    },
    async userOf(userId) {
      const [row] = await userRead([userId]);
      if (!row) throw new DomainError('NOT_FOUND', 'No such user.');
      return {
        id: row.id,
        email: row.email,
        displayName: row.display_name,
        createdAt: new Date(row.created_at),
      };
    },
  };

  return {
    source,
    listActiveMemberships,
    async isVendorTenant(tenantId: string) {
      return (await vendorRead([tenantId])).length > 0;
    },
    async currentMember(auth: { user: SessionUser; session: ValidSession }, now: Date) {
      const [enabled] = await userEnabledRead([auth.user.id]);
      return enabled ? source.buildMember(auth, now) : null;
    },
    /** The key row by id, and its `last_used_at` moved (at most once a minute, as on SQLite). */
    async findApiKey(id: string) {
      const [row] = await keyRead([id]);
      return row;
    },
    async touchApiKey(id: string, at: number) {
      await keyTouch([at, id]);
    },
  };
}
