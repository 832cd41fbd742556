import type { DbOrTx, MembershipSource } from '@tessera/db';
import { marks, memberships, users } from '@tessera/db';
import { and, eq, sql } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { appendMemberEvent } from '../../events/outbox.ts';
import { randomId } from '../../lib/ids.ts';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { recordAudit } from '../audit/record-audit.ts';

export const DAY_MS = 86_400_000;

export interface GrantMarkInput {
  userId: string;
  markId: string;
  /** Length of the grant; null = no end. */
  days: number | null;
  source: MembershipSource;
  reference?: string | null;
  actorUserId: string | null;
  /** Who acted when no signed-in user did, or through which tool (`cli:<os user>`); for the audit log. */
  actorLabel?: string | null;
  reason?: string | null;
  now: Date;
  /** `extend` refuses when the user never held the mark; `grant` creates it. */
  mode?: 'grant' | 'extend';
}

/** The refusals of grants and revokes, worded once for every engine. */
export const membershipRefusal = {
  noSuchMark: () => new DomainError('NOT_FOUND', 'No such mark.'),
  noSuchUser: () => new DomainError('NOT_FOUND', 'No such user.'),
  neverHeld: () => new DomainError('NOT_FOUND', 'The user never held this mark; grant it instead.'),
  notHeld: () => new DomainError('NOT_FOUND', 'The user does not hold this mark.'),
};

/** Refuses a grant length outside 1–36500 whole days (null: no end). Shared by every engine. */
export function assertGrantDays(days: number | null): void {
  if (days !== null && (!Number.isInteger(days) || days < 1 || days > 36_500)) {
    throw new DomainError('VALIDATION', 'Days must be a whole number from 1 to 36500.', {
      fieldErrors: { days: ['INVALID'] },
    });
  }
}

/** A grant that (re)started the membership now was a grant; one that kept its start, an extension. */
export function grantEventOf(
  startsAt: Date,
  now: Date,
): 'membership.granted' | 'membership.extended' {
  return startsAt.getTime() === now.getTime() ? 'membership.granted' : 'membership.extended';
}

/** The audit row's data for a grant or extension (the same on every engine). */
export function grantAuditData(input: GrantMarkInput, markKey: string, expiresAt: Date | null) {
  return {
    markKey,
    days: input.days,
    source: input.source,
    reference: input.reference ?? null,
    reason: input.reason ?? null,
    expiresAt: expiresAt?.toISOString() ?? null,
  };
}

/**
 * Grants or extends a mark in one guarded upsert. A user without access starts now; a user with
 * access is extended from the later of now and the current end (a permanent grant stays
 * permanent). The outcome, its audit event and its member event share one transaction.
 */
export function grantMark(db: DbOrTx, input: GrantMarkInput) {
  assertGrantDays(input.days);
  const now = input.now.getTime();
  const length = input.days === null ? null : input.days * DAY_MS;
  return db.transaction((tx) => {
    const mark = tx
      .select({ key: marks.key, tenantId: marks.tenantId })
      .from(marks)
      .where(eq(marks.id, input.markId))
      .get();
    if (!mark) throw membershipRefusal.noSuchMark();
    // Checked here rather than left to the foreign key, whose failure would surface as a 500.
    // This runs inside the write transaction, so the row cannot vanish before the upsert.
    const user = tx.select({ id: users.id }).from(users).where(eq(users.id, input.userId)).get();
    if (!user) throw membershipRefusal.noSuchUser();
    if (input.mode === 'extend') {
      const held = tx
        .select({ id: memberships.id })
        .from(memberships)
        .where(and(eq(memberships.userId, input.userId), eq(memberships.markId, input.markId)))
        .get();
      if (!held) throw membershipRefusal.neverHeld();
    }
    const lapsed = sql`(${memberships.expiresAt} is not null and ${memberships.expiresAt} <= ${now})`;
    const row = tx
      .insert(memberships)
      .values({
        id: randomId(),
        userId: input.userId,
        markId: input.markId,
        startsAt: input.now,
        expiresAt: length === null ? null : new Date(now + length),
        status: 'active',
        source: input.source,
        reference: input.reference ?? null,
        createdAt: input.now,
        updatedAt: input.now,
      })
      .onConflictDoUpdate({
        target: [memberships.userId, memberships.markId],
        set: {
          startsAt: sql`case when ${lapsed} then ${now} else ${memberships.startsAt} end`,
          expiresAt:
            length === null
              ? sql`null`
              : sql`case when ${memberships.expiresAt} is null then null else max(${memberships.expiresAt}, ${now}) + ${length} end`,
          status: 'active',
          source: sql`excluded.source`,
          reference: sql`excluded.reference`,
          updatedAt: input.now,
        },
      })
      .returning()
      .get();

    const { kind, audit } = grantOutcome(input, mark, row);
    appendMemberEvent(tx, { userId: input.userId, kind, markKey: mark.key, now: input.now });
    recordAudit(tx, audit);
    return { membership: row, markKey: mark.key, event: kind };
  }, IMMEDIATE);
}

/**
 * Whether the upsert granted (access starts now) or extended, and its audit row: the same on
 * every engine, from the membership row the upsert returned.
 */
export function grantOutcome(
  input: GrantMarkInput,
  mark: { key: string; tenantId: string },
  row: { startsAt: Date; expiresAt: Date | null },
) {
  const kind = grantEventOf(row.startsAt, input.now);
  return {
    kind,
    audit: {
      tenantId: mark.tenantId,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: kind,
      subjectType: 'user',
      subjectId: input.userId,
      data: grantAuditData(input, mark.key, row.expiresAt),
      ip: null,
      createdAt: input.now,
    },
  } as const;
}
