// API keys on PostgreSQL: created (with its audit row), listed, revoked (guarded), verified.
import { apiKeys, type PgDb } from '@tessera/db/pg';
import { and, desc, eq, isNull } from 'drizzle-orm';
import { secretMatches } from '../../../auth/session-token.ts';
import {
  apiKeyTouchDue,
  NO_SUCH_API_KEY,
  newApiKey,
  parseApiKey,
} from '../../../domain/api-keys/api-keys.ts';
import { DomainError } from '../../../errors.ts';
import type {
  ApiKeyRecord,
  CreateApiKeyInput,
  CreatedApiKey,
  VerifiedApiKey,
} from '../../members-store.ts';
import { recordAuditPg } from './in-transaction.ts';
import type { createPgMemberReads } from './reads.ts';

export function createPgApiKeys(db: PgDb, reads: ReturnType<typeof createPgMemberReads>) {
  return {
    async createApiKey(input: CreateApiKeyInput): Promise<CreatedApiKey> {
      const { id, secretHash, key } = newApiKey();
      await db.transaction(async (tx) => {
        await tx
          .insert(apiKeys)
          .values({ id, userId: input.userId, name: input.name, secretHash, createdAt: input.now });
        await recordAuditPg(tx, {
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
    },

    listApiKeys(userId: string): Promise<ApiKeyRecord[]> {
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
        .orderBy(desc(apiKeys.createdAt));
    },

    async revokeApiKey(input: { userId: string; keyId: string; now: Date }): Promise<void> {
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(apiKeys)
          .set({ revokedAt: input.now })
          .where(
            and(
              eq(apiKeys.id, input.keyId),
              eq(apiKeys.userId, input.userId),
              isNull(apiKeys.revokedAt),
            ),
          )
          .returning({ id: apiKeys.id });
        if (!row) throw new DomainError('NOT_FOUND', NO_SUCH_API_KEY);
        await recordAuditPg(tx, {
          tenantId: null,
          actorUserId: input.userId,
          action: 'api_key.revoked',
          subjectType: 'api_key',
          subjectId: input.keyId,
          data: null,
          ip: null,
          createdAt: input.now,
        });
      });
    },

    async verifyApiKey(key: string, now: Date): Promise<VerifiedApiKey | null> {
      const parsed = parseApiKey(key);
      if (!parsed) return null;
      const row = await reads.findApiKey(parsed.id);
      if (!row || row.revoked_at !== null || !secretMatches(parsed.secret, row.secret_hash)) {
        return null;
      }
      const t = now.getTime();
      if (apiKeyTouchDue(row.last_used_at, t)) await reads.touchApiKey(parsed.id, t);
      return { keyId: parsed.id, userId: row.user_id };
    },
  };
}
