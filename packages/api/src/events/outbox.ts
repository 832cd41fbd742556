// The member-event outbox. Any change that can alter what a member may do appends a row here in
// the same transaction as the change; every server process tails the table (member-event-bus.ts),
// so a change made by the CLI or another process reaches live streams everywhere.
import type { DbOrTx, Sqlite } from '@tessera/db';
import { memberEvents } from '@tessera/db';
import { sql } from 'drizzle-orm';

export const memberEventKinds = [
  'membership.granted',
  'membership.extended',
  'membership.revoked',
  'membership.expired',
  'credits.changed',
  /** A held mark's entitlements changed (models, plugins, limits…). */
  'mark.changed',
  /** A vendor's ceiling changed, or it was suspended or reinstated. */
  'tenant.changed',
  /** The account was disabled (or enabled again). */
  'account.changed',
] as const;
export type MemberEventKind = (typeof memberEventKinds)[number];

const creditsChangedStatements = new WeakMap<Sqlite, { run(user: string, at: number): unknown }>();

/**
 * `credits.changed` for a user, as a prepared statement: the chat engine appends one per charged
 * answer, inside the settlement's transaction.
 */
export function appendCreditsChanged(sqlite: Sqlite, userId: string, now: Date): void {
  let statement = creditsChangedStatements.get(sqlite);
  if (!statement) {
    statement = sqlite.prepare(
      "insert into member_events (user_id, kind, created_at) values (?, 'credits.changed', ?)",
    );
    creditsChangedStatements.set(sqlite, statement);
  }
  statement.run(userId, now.getTime());
}

export function appendMemberEvent(
  db: DbOrTx,
  event: {
    userId: string;
    kind: MemberEventKind;
    markKey?: string | null;
    data?: Record<string, unknown>;
    now: Date;
  },
): void {
  db.insert(memberEvents)
    .values({
      userId: event.userId,
      kind: event.kind,
      markKey: event.markKey ?? null,
      data: event.data ?? null,
      createdAt: event.now,
    })
    .run();
}

/**
 * One event for every user who holds a mark matching `scope` now (a mark, or every mark of a
 * tenant), in one statement inside the change's transaction: their live streams re-check at once.
 */
export function appendHolderEvents(
  db: DbOrTx,
  event: { scope: { markId: string } | { tenantId: string }; kind: MemberEventKind; now: Date },
): void {
  const now = event.now.getTime();
  const scope =
    'markId' in event.scope
      ? sql`m.id = ${event.scope.markId}`
      : sql`m.tenant_id = ${event.scope.tenantId}`;
  db.run(
    sql`insert into member_events (user_id, kind, mark_key, created_at)
        select distinct ms.user_id, ${event.kind}, m.key, ${now}
        from memberships ms join marks m on m.id = ms.mark_id
        where ${scope} and (ms.expires_at is null or ms.expires_at > ${now})`,
  );
}
