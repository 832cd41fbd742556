// Fixtures of the ops store's contract (ops.contract.ts, ops-records.contract.ts): shared SQL
// both engines run, and a transport that stands for the other instances.
import type { MemberEventNotice, MemberEventTransport } from '../../src/events/member-event-bus.ts';
import type { EngineUnderTest } from './engine.ts';

export const T0 = Date.parse('2026-03-01T10:00:00Z');
export const at = (ms: number) => new Date(T0 + ms);
export const DAY = 24 * 60 * 60_000;

export async function eventually(check: () => boolean | Promise<boolean>, timeoutMs = 3000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

export async function addUser(
  engine: EngineUnderTest,
  id: string,
  extra: { email?: string; locale?: string; disabled?: boolean } = {},
) {
  await engine.sql(
    `insert into users (id, email, password_hash, created_at, display_name, locale, disabled_at)
     values ($1, $2, 'x', $3, $4, $5, $6)`,
    [
      id,
      extra.email ?? `${id}@example.test`,
      T0,
      `User ${id}`,
      extra.locale ?? null,
      extra.disabled ? T0 : null,
    ],
  );
}

export async function addEvent(engine: EngineUnderTest, userId: string, kind = 'credits.changed') {
  await engine.sql(
    'insert into member_events (user_id, kind, mark_key, created_at) values ($1, $2, null, $3)',
    [userId, kind, T0],
  );
}

export async function addMail(
  engine: EngineUnderTest,
  id: string,
  input: { status?: string; nextAttemptAt: number; createdAt?: number; to?: string },
) {
  await engine.sql(
    `insert into mail_outbox (id, "to", locale, template, subject, text, html, status, attempts,
                              next_attempt_at, created_at)
     values ($1, $2, 'en', 'password_reset', $3, 'text', '<p>html</p>', $4, 0, $5, $6)`,
    [
      id,
      input.to ?? `${id}@example.test`,
      `Subject ${id}`,
      input.status ?? 'queued',
      input.nextAttemptAt,
      input.createdAt ?? input.nextAttemptAt,
    ],
  );
}

/** A transport that records what this instance publishes and lets a test play other instances. */
export function fakeTransport() {
  const published: MemberEventNotice[] = [];
  let handlers: Parameters<MemberEventTransport['start']>[0] | undefined;
  const transport: MemberEventTransport = {
    publish: (notice) => published.push(notice),
    start: (h) => {
      handlers = h;
    },
    close() {},
  };
  return {
    transport,
    published,
    live: (now: boolean) => handlers?.onLive(now),
    notice: (notice: MemberEventNotice) => handlers?.onNotice(notice),
  };
}
