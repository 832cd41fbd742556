// Fixtures and helpers shared by the account store's contract suites (account.*.contract.ts).
import { decodeBase32IgnorePadding } from '@oslojs/encoding';
import { generateHOTP } from '@oslojs/otp';
import { afterEach, beforeEach, expect } from 'vitest';
import { twoFactorSettings } from '../../src/auth/two-factor/secret-box.ts';
import type { EngineUnderTest, OpenEngine } from './engine.ts';

export const NOW = new Date('2026-03-02T10:00:00Z');
export const settings = twoFactorSettings({});

/** A fresh engine per test, closed after it. */
export function useEngine(openEngine: OpenEngine): () => EngineUnderTest {
  let engine: EngineUnderTest;
  beforeEach(async () => {
    engine = await openEngine();
  });
  afterEach(() => engine.close());
  return () => engine;
}

export async function addUser(
  engine: EngineUnderTest,
  id: string,
  email: string,
  options: { verified?: boolean; passwordHash?: string } = {},
) {
  await engine.sql(
    `insert into users (id, email, password_hash, created_at, email_verified_at)
     values ($1, $2, $3, $4, $5)`,
    [
      id,
      email,
      options.passwordHash ?? 'x',
      NOW.getTime(),
      options.verified ? NOW.getTime() : null,
    ],
  );
}

export async function addSession(engine: EngineUnderTest, id: string, userId: string) {
  await engine.sql(
    `insert into sessions (id, secret_hash, user_id, created_at, last_seen_at, expires_at)
     values ($1, $2, $3, $4, $4, $5)`,
    [id, Buffer.alloc(32, 1), userId, NOW.getTime(), NOW.getTime() + 86_400_000],
  );
}

/** The TOTP code of a base32 secret at `now`, `stepOffset` 30-second steps later. */
export function codeAt(secret: string, now: Date, stepOffset = 0): string {
  const step = Math.floor(now.getTime() / 30_000) + stepOffset;
  return generateHOTP(decodeBase32IgnorePadding(secret), BigInt(step), 6);
}

export const later = (ms: number) => new Date(NOW.getTime() + ms);

/** Awaits a refusal and checks its domain code. */
export async function refused(promise: Promise<unknown>, code: string) {
  await expect(promise).rejects.toMatchObject({ name: 'DomainError', code });
}

export async function countRows(
  engine: EngineUnderTest,
  table: string,
  where = 'true',
  params: unknown[] = [],
) {
  const [row] = await engine.sql<{ n: number | string }>(
    `select count(*) as n from ${table} where ${where}`,
    params,
  );
  return Number(row?.n ?? 0);
}

/** The token carried by the newest mail of a template (the `token=`/`invite=` query value). */
export async function tokenFromMail(engine: EngineUnderTest, template: string): Promise<string> {
  const rows = await engine.sql<{ text: string }>(
    'select text from mail_outbox where template = $1 order by created_at desc, id desc',
    [template],
  );
  const match = /(?:token|invite)=([^\s&"<>)]+)/.exec(rows[0]?.text ?? '');
  if (!match?.[1]) throw new Error(`no link in the ${template} mail`);
  return decodeURIComponent(match[1]);
}

export async function auditActions(engine: EngineUnderTest, subjectId: string) {
  const rows = await engine.sql<{ action: string }>(
    'select action from audit_events where subject_id = $1 order by id',
    [subjectId],
  );
  return rows.map((r) => r.action);
}
