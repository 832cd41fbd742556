// PostgreSQL: images in the chat (decision 026) — pending uploads, their claim by a prompt, and
// the reads that put them back into a prompt or a thread.
import type { PgDb } from '@tessera/db/pg';
import { messageAttachments } from '@tessera/db/pg';
import { and, asc, eq, inArray, isNull, lt, sql } from 'drizzle-orm';
import {
  IMAGE_LIMITS,
  type ImageForPrompt,
  toDataUrl,
} from '../../../domain/chat/image-attachments.ts';
import type { ChatStore } from '../../chats-store.ts';

type ImageMethods = Pick<
  ChatStore,
  'storeUpload' | 'discardUpload' | 'imageOf' | 'pendingUploads' | 'imagesOfMessages'
>;

export function pgImageMethods(db: PgDb): ImageMethods {
  return {
    async storeUpload(upload) {
      return db.transaction(async (tx) => {
        // The count guard below reads, then inserts: two uploads of one member at once would both
        // pass it under READ COMMITTED. A per-member transaction lock makes them take turns.
        await tx.execute(
          sql`select pg_advisory_xact_lock(hashtextextended(${`upload:${upload.userId}`}, 0))`,
        );
        await tx
          .delete(messageAttachments)
          .where(
            and(
              eq(messageAttachments.userId, upload.userId),
              isNull(messageAttachments.messageId),
              lt(messageAttachments.createdAt, new Date(upload.staleBefore)),
            ),
          );
        const inserted = await tx.execute(sql`
          insert into message_attachments (id, user_id, message_id, position, media_type, bytes, data, created_at)
          select ${upload.id}, ${upload.userId}, null, 0, ${upload.mediaType}, ${upload.data.length},
                 ${upload.data}::bytea, ${upload.now.getTime()}
          where (select count(*) from message_attachments
                 where user_id = ${upload.userId} and message_id is null) < ${IMAGE_LIMITS.pending}
          returning id`);
        return inserted.rows.length > 0;
      });
    },

    async discardUpload(userId, id) {
      const removed = await db
        .delete(messageAttachments)
        .where(
          and(
            eq(messageAttachments.id, id),
            eq(messageAttachments.userId, userId),
            isNull(messageAttachments.messageId),
          ),
        )
        .returning({ id: messageAttachments.id });
      return removed.length > 0;
    },

    async imageOf(userId, id) {
      const [row] = await db
        .select({ mediaType: messageAttachments.mediaType, data: messageAttachments.data })
        .from(messageAttachments)
        .where(and(eq(messageAttachments.id, id), eq(messageAttachments.userId, userId)));
      return row;
    },

    async pendingUploads(userId, ids) {
      if (ids.length === 0) return [];
      return db
        .select({
          id: messageAttachments.id,
          mediaType: messageAttachments.mediaType,
          data: messageAttachments.data,
        })
        .from(messageAttachments)
        .where(
          and(
            inArray(messageAttachments.id, [...ids]),
            eq(messageAttachments.userId, userId),
            isNull(messageAttachments.messageId),
          ),
        );
    },

    async imagesOfMessages(messageIds) {
      const result = new Map<string, ImageForPrompt[]>();
      if (messageIds.length === 0) return result;
      const rows = await db
        .select({
          id: messageAttachments.id,
          messageId: messageAttachments.messageId,
          mediaType: messageAttachments.mediaType,
          data: messageAttachments.data,
        })
        .from(messageAttachments)
        .where(inArray(messageAttachments.messageId, [...messageIds]))
        .orderBy(asc(messageAttachments.position), asc(messageAttachments.id));
      for (const row of rows) {
        const list = result.get(row.messageId!) ?? [];
        list.push({ id: row.id, url: toDataUrl(row.mediaType, row.data) });
        result.set(row.messageId!, list);
      }
      return result;
    },
  };
}
