// API keys: created (shown once), listed, revoked, and checked on every /v1 request.

import { encodeBase32LowerCaseNoPadding } from '@oslojs/encoding';
import type { Db } from '@tessera/db';
import { apiKeys } from '@tessera/db';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { hashSecret, secretMatches } from '../../auth/session-token.ts';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';
import { recordAudit } from '../audit/record-audit.ts';

const KEY_PATTERN = /^tsk_([a-z2-7]{24})_([a-z2-7]{32})$/;

export function createApiKey(
  db: Db,
  input: {
    userId: string;
    name: string;
    actorUserId: string | null;
    actorLabel?: string | null;
    now: Date;
  },
) {
  const { id, secretHash, key } = newApiKey();
  db.transaction((tx) => {
    tx.insert(apiKeys)
      .values({ id, userId: input.userId, name: input.name, secretHash, createdAt: input.now })
      .run();
    recordAudit(tx, {
      tenantId: null,
      actorUserId: input.actorUserId,
      actorLabel: input.actorLabel ?? null,
      action: 'api_key.created',
      subjectType: 'api_key',
      subjectId: id,
      data: { userId: input.userId, name: input.name },
      ip: null,
      createdAt: input.now,
    });
  });
  return { id, name: input.name, key, createdAt: input.now };
}

/** A fresh key: its id, the hash stored of its secret, and the full key shown once. */
export function newApiKey(): { id: string; secretHash: Buffer; key: string } {
  const id = randomId();
  const secretBytes = new Uint8Array(20);
  crypto.getRandomValues(secretBytes);
  const secret = encodeBase32LowerCaseNoPadding(secretBytes);
  return { id, secretHash: Buffer.from(hashSecret(secret)), key: `tsk_${id}_${secret}` };
}

/** The id and secret of a well-formed key, else null. */
export function parseApiKey(key: string): { id: string; secret: string } | null {
  const match = KEY_PATTERN.exec(key);
  if (!match) return null;
  const [, id, secret] = match as unknown as [string, string, string];
  return { id, secret };
}

/** `last_used_at` is moved at most once a minute per key (every /v1 request would write otherwise). */
export function apiKeyTouchDue(lastUsedAt: number | null, t: number): boolean {
  return lastUsedAt === null || t - lastUsedAt > 60_000;
}

/** The NOT_FOUND a revoke answers when the user has no such live key. */
export const NO_SUCH_API_KEY = 'No such API key.';

export function listApiKeys(db: Db, userId: string) {
  return db
    .select({
      id: apiKeys.id,
      name: apiKeys.name,
      createdAt: apiKeys.createdAt,
      lastUsedAt: apiKeys.lastUsedAt,
      revokedAt: apiKeys.revokedAt,
    })
    .from(apiKeys)
    .where(eq(apiKeys.userId, userId))
    .orderBy(desc(apiKeys.createdAt))
    .all();
}

export function revokeApiKey(db: Db, input: { userId: string; keyId: string; now: Date }) {
  const row = db
    .update(apiKeys)
    .set({ revokedAt: input.now })
    .where(
      and(eq(apiKeys.id, input.keyId), eq(apiKeys.userId, input.userId), isNull(apiKeys.revokedAt)),
    )
    .returning({ id: apiKeys.id })
    .get();
  if (!row) throw new DomainError('NOT_FOUND', NO_SUCH_API_KEY);
  recordAudit(db, {
    tenantId: null,
    actorUserId: input.userId,
    action: 'api_key.revoked',
    subjectType: 'api_key',
    subjectId: input.keyId,
    data: null,
    ip: null,
    createdAt: input.now,
  });
}

interface KeyRow {
  user_id: string;
  secret_hash: Buffer;
  revoked_at: number | null;
  last_used_at: number | null;
}
/** Every /v1 request verifies its key: the two statements are compiled once per connection. */
const keyStatements = new WeakMap<
  Db['$client'],
  { find(id: string): KeyRow | undefined; touch(at: number, id: string): void }
>();
function keyStatementsFor(sqlite: Db['$client']) {
  let statements = keyStatements.get(sqlite);
  if (!statements) {
    const find = sqlite.prepare<[string], KeyRow>(
      // A disabled account's keys stop working while it is disabled.
      `select k.user_id, k.secret_hash, k.revoked_at, k.last_used_at
       from api_keys k join users u on u.id = k.user_id
       where k.id = ? and u.disabled_at is null`,
    );
    const touch = sqlite.prepare<[number, string]>(
      'update api_keys set last_used_at = ? where id = ?',
    );
    statements = { find: (id) => find.get(id), touch: (at, id) => void touch.run(at, id) };
    keyStatements.set(sqlite, statements);
  }
  return statements;
}

/** The user behind a bearer key, or null for anything malformed, unknown, revoked or wrong. */
export function verifyApiKey(
  db: Db,
  key: string,
  now: Date,
): { keyId: string; userId: string } | null {
  const parsed = parseApiKey(key);
  if (!parsed) return null;
  const { id, secret } = parsed;
  const statements = keyStatementsFor(db.$client);
  const row = statements.find(id);
  if (!row || row.revoked_at !== null || !secretMatches(secret, row.secret_hash)) return null;
  if (apiKeyTouchDue(row.last_used_at, now.getTime())) {
    statements.touch(now.getTime(), id);
  }
  return { keyId: id, userId: row.user_id };
}
