// The scheduler's sweep for "your membership / trial ends in 3 days" (decision 025). It walks the
// partial index of active memberships with an end (memberships_active_expiry_idx, the one the
// lapse sweep uses) over the window (now, now + 3 days], skipping occurrences already notified —
// the key carries the end, so a membership extended and then ending again is a new occurrence.
// A Stripe subscription that renews by itself is not "ending": only one set to cancel, or already
// failing, is told. Kinds turned off and disabled accounts are left out by the query itself, so
// they can never crowd the batch. Each mail is its own short write transaction, so chats keep flowing.
import type { Db } from '@tessera/db';
import { IMMEDIATE } from '../../lib/transactions.ts';
import { appLink } from '../../mail/app-link.ts';
import { notify } from './notify.ts';

export const ENDING_WINDOW_MS = 3 * 24 * 60 * 60_000;

// Literal 'active' and `is not null`: the partial index's own terms, so SQLite can use it.
/** Parameters: now, now + window, batch size (ms, ms, rows). Exported for the query-plan test. */
export const ENDING_MEMBERSHIPS_SQL = `select m.id as id, m.user_id as userId, m.expires_at as expiresAt, m.source as source,
        k.name as markName, u.locale as locale
   from memberships m
   join marks k on k.id = m.mark_id
   join users u on u.id = m.user_id
   left join notification_preferences p on p.user_id = m.user_id
   left join stripe_subscriptions s on m.source = 'stripe' and s.id = m.reference
  where m.status = 'active' and m.expires_at is not null
    and m.expires_at > ? and m.expires_at <= ?
    and u.disabled_at is null
    and coalesce(case when m.source = 'trial' then p.trial_ending else p.membership_ending end, 1) = 1
    and not (s.id is not null and s.ended_at is null and s.cancel_at_period_end = 0
             and s.status in ('active', 'trialing'))
    and not exists (
      select 1 from notifications n
       where n.key = (case when m.source = 'trial' then 'trial_ending:' else 'membership_ending:' end)
                     || m.id || ':' || m.expires_at)
  order by m.expires_at
  limit ?`;

/** One membership the sweep found (the columns of ENDING_MEMBERSHIPS_SQL). */
export interface EndingRow {
  id: string;
  userId: string;
  expiresAt: number;
  source: string;
  markName: string;
  locale: string | null;
}

export interface EndingSweepInput {
  now: Date;
  baseUrl: string;
  timeZone: string;
  limit?: number;
}

export interface EndingSweepResult {
  found: number;
  sent: number;
}

function formatEnd(at: number, locale: string | null, timeZone: string): string {
  return new Intl.DateTimeFormat(locale === 'zh-CN' ? 'zh-CN' : 'en', {
    dateStyle: 'long',
    timeStyle: 'short',
    timeZone,
  }).format(new Date(at));
}

/** What `notify` is given for one ending membership (shared by both engines). */
export function endingNotice(row: EndingRow, input: EndingSweepInput) {
  const kind = row.source === 'trial' ? ('trial_ending' as const) : ('membership_ending' as const);
  return {
    userId: row.userId,
    kind,
    key: `${kind}:${row.id}:${row.expiresAt}`,
    params: {
      link: appLink(input.baseUrl, '/plans'),
      markName: row.markName,
      endsAt: formatEnd(row.expiresAt, row.locale, input.timeZone),
    },
    data: { membershipId: row.id, markName: row.markName, endsAt: row.expiresAt },
    now: input.now,
  };
}

export function sweepEndingMemberships(db: Db, input: EndingSweepInput): EndingSweepResult {
  const now = input.now.getTime();
  const rows = db.$client
    .prepare(ENDING_MEMBERSHIPS_SQL)
    .all(now, now + ENDING_WINDOW_MS, input.limit ?? 500) as EndingRow[];
  let sent = 0;
  for (const row of rows) {
    const outcome = db.transaction((tx) => notify(tx, endingNotice(row, input)), IMMEDIATE);
    if (outcome === 'sent') sent++;
  }
  return { found: rows.length, sent };
}
