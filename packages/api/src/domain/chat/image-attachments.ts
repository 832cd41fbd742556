// Images in the chat (docs/decisions/026). The SPA uploads each image first — its answer is a
// subscription over SSE, a GET that cannot carry megabytes — and sends the upload ids with the
// message; the message claims them. Only `data:` URLs of four raster types are accepted, checked
// against the bytes' own signature: this server never fetches a URL on a member's behalf.
import type { Db, ImageMediaType } from '@tessera/db';
import { imageMediaTypes, messageAttachments } from '@tessera/db';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { DomainError } from '../../errors.ts';
import { randomId } from '../../lib/ids.ts';

export const IMAGE_LIMITS = {
  /** Decoded size of one image. */
  maxBytes: 5 * 1024 * 1024,
  /** Images on one message. */
  perMessage: 4,
  /** Uploads not yet sent with a message, per member (a composer's worth, twice). */
  pending: 8,
  /** A pending upload older than this is dropped at the member's next upload. */
  pendingTtlMs: 24 * 60 * 60 * 1000,
} as const;

/** The longest data URL an upload may be: base64 of the largest image plus its prefix. */
export const MAX_IMAGE_DATA_URL_LENGTH = Math.ceil(IMAGE_LIMITS.maxBytes / 3) * 4 + 64;

const invalid = (code: string, message: string) =>
  new DomainError('VALIDATION', message, { fieldErrors: { dataUrl: [code] } });

/** Whether the bytes start as a file of this type says they must (its magic number). */
function signatureMatches(type: ImageMediaType, b: Buffer): boolean {
  const ascii = (from: number, to: number) => b.subarray(from, to).toString('latin1');
  switch (type) {
    case 'image/png':
      return b.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    case 'image/jpeg':
      return b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff;
    case 'image/gif':
      return ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a';
    case 'image/webp':
      return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP';
  }
}

/** A `data:image/…;base64,…` URL checked and decoded, or a VALIDATION error saying what is wrong. */
export function decodeImageDataUrl(dataUrl: string): { mediaType: ImageMediaType; data: Buffer } {
  const match = /^data:([a-z/+.-]+);base64,([A-Za-z0-9+/]*={0,2})$/i.exec(dataUrl);
  if (!match) throw invalid('NOT_DATA_URL', 'The image must be a base64 data: URL.');
  const mediaType = match[1]!.toLowerCase() as ImageMediaType;
  if (!imageMediaTypes.includes(mediaType))
    throw invalid('IMAGE_TYPE', 'Only PNG, JPEG, WebP and GIF images can be attached.');
  const data = Buffer.from(match[2]!, 'base64');
  if (data.length === 0) throw invalid('IMAGE_EMPTY', 'The image is empty.');
  if (data.length > IMAGE_LIMITS.maxBytes)
    throw invalid('IMAGE_TOO_LARGE', 'An image may be at most 5 MB.');
  if (!signatureMatches(mediaType, data))
    throw invalid('IMAGE_CORRUPT', `The file is not a ${mediaType.slice(6).toUpperCase()} image.`);
  return { mediaType, data };
}

export function toDataUrl(mediaType: string, data: Buffer): string {
  return `data:${mediaType};base64,${data.toString('base64')}`;
}

/**
 * Stores an upload as pending. The member's stale pending uploads are dropped first, and the
 * insert is guarded by the pending count in the same statement (never read-then-write).
 */
export function uploadImage(
  db: Db,
  input: { userId: string; dataUrl: string; now: Date },
): { id: string; mediaType: ImageMediaType; bytes: number } {
  const upload = newUpload(input);
  if (!insertPendingImage(db, upload)) throw tooManyPending();
  return uploaded(upload);
}

/** A checked upload, ready to store (shared by every storage adapter). */
export interface PendingUpload {
  id: string;
  userId: string;
  mediaType: ImageMediaType;
  data: Buffer;
  now: Date;
  /** Pending uploads created before this (ms) are dropped first. */
  staleBefore: number;
}

/** Decodes and checks the data URL (VALIDATION errors) and names the new upload. */
export function newUpload(input: { userId: string; dataUrl: string; now: Date }): PendingUpload {
  const { mediaType, data } = decodeImageDataUrl(input.dataUrl);
  return {
    id: randomId(),
    userId: input.userId,
    mediaType,
    data,
    now: input.now,
    staleBefore: input.now.getTime() - IMAGE_LIMITS.pendingTtlMs,
  };
}

export const uploaded = (upload: PendingUpload) => ({
  id: upload.id,
  mediaType: upload.mediaType,
  bytes: upload.data.length,
});

export const tooManyPending = () =>
  invalid('TOO_MANY_PENDING', 'Too many images waiting to be sent; send or remove some.');

/** Stores the upload unless the member already has the most pending; false when refused. */
export function insertPendingImage(db: Db, upload: PendingUpload): boolean {
  const { id, userId, mediaType, data, now } = upload;
  const inserted = db.transaction((tx) => {
    tx.delete(messageAttachments)
      .where(
        and(
          eq(messageAttachments.userId, userId),
          isNull(messageAttachments.messageId),
          sql`${messageAttachments.createdAt} < ${upload.staleBefore}`,
        ),
      )
      .run();
    return tx.get<{ id: string } | undefined>(sql`
      insert into message_attachments (id, user_id, message_id, position, media_type, bytes, data, created_at)
      select ${id}, ${userId}, null, 0, ${mediaType}, ${data.length}, ${data}, ${now.getTime()}
      where (select count(*) from message_attachments
             where user_id = ${userId} and message_id is null) < ${IMAGE_LIMITS.pending}
      returning id`);
  });
  return inserted !== undefined;
}

export interface ImageForPrompt {
  id: string;
  url: string;
}

/** The member's pending uploads among `ids` (missing ones are simply absent). */
export function pendingImageRows(db: Db, userId: string, ids: readonly string[]) {
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
    )
    .all();
}

/** VALIDATION for a list of image ids no message may carry (checked before anything is read). */
export function checkImageIds(ids: readonly string[]): void {
  if (new Set(ids).size !== ids.length)
    throw invalid('DUPLICATE_IMAGE', 'An image is listed twice.');
  if (ids.length > IMAGE_LIMITS.perMessage)
    throw invalid('TOO_MANY_IMAGES', `At most ${IMAGE_LIMITS.perMessage} images per message.`);
}

/** The found uploads in the order asked for; NOT_FOUND when one is missing. */
export function inRequestedOrder(
  ids: readonly string[],
  rows: readonly { id: string; mediaType: string; data: Buffer }[],
): ImageForPrompt[] {
  const byId = new Map(rows.map((row) => [row.id, row]));
  return ids.map((id) => {
    const row = byId.get(id);
    if (!row)
      throw new DomainError('NOT_FOUND', 'An attached image was not found; attach it again.');
    return { id, url: toDataUrl(row.mediaType, row.data) };
  });
}

/** The images stored with these messages, as data URLs, by message id (in their order). */
export function imagesOfMessages(
  db: Db,
  messageIds: readonly string[],
): Map<string, ImageForPrompt[]> {
  const result = new Map<string, ImageForPrompt[]>();
  if (messageIds.length === 0) return result;
  const rows = db
    .select({
      id: messageAttachments.id,
      messageId: messageAttachments.messageId,
      mediaType: messageAttachments.mediaType,
      data: messageAttachments.data,
    })
    .from(messageAttachments)
    .where(inArray(messageAttachments.messageId, [...messageIds]))
    .orderBy(asc(messageAttachments.position))
    .all();
  for (const row of rows) {
    const list = result.get(row.messageId!) ?? [];
    list.push({ id: row.id, url: toDataUrl(row.mediaType, row.data) });
    result.set(row.messageId!, list);
  }
  return result;
}

/**
 * Gives pending uploads to the message they were sent with, in order. Guarded: only the member's
 * still-pending rows move, so an upload claimed meanwhile by another tab stays with that message.
 */
export function claimImages(
  db: Db,
  input: { userId: string; messageId: string; imageIds: readonly string[] },
): void {
  input.imageIds.forEach((id, position) => {
    db.update(messageAttachments)
      .set({ messageId: input.messageId, position })
      .where(
        and(
          eq(messageAttachments.id, id),
          eq(messageAttachments.userId, input.userId),
          isNull(messageAttachments.messageId),
        ),
      )
      .run();
  });
}

/** An edited prompt's images go with the prompt that replaces it (the old one is superseded). */
export function moveImages(db: Db, input: { from: string; to: string }): void {
  db.update(messageAttachments)
    .set({ messageId: input.to })
    .where(eq(messageAttachments.messageId, input.from))
    .run();
}

/** What the thread lists per message (no bytes: each image is fetched on its own). */
export function attachmentsOfMessages(db: Db, messageIds: readonly string[]) {
  if (messageIds.length === 0) return new Map<string, AttachmentInfo[]>();
  const rows = db
    .select({
      id: messageAttachments.id,
      messageId: messageAttachments.messageId,
      mediaType: messageAttachments.mediaType,
      bytes: messageAttachments.bytes,
    })
    .from(messageAttachments)
    .where(inArray(messageAttachments.messageId, [...messageIds]))
    .orderBy(asc(messageAttachments.position))
    .all();
  const result = new Map<string, AttachmentInfo[]>();
  for (const { messageId, ...info } of rows)
    result.set(messageId!, [...(result.get(messageId!) ?? []), info]);
  return result;
}
export interface AttachmentInfo {
  id: string;
  mediaType: ImageMediaType;
  bytes: number;
}

/** One of the member's images (sent or pending), or undefined for anyone else's. */
export function imageDataUrlParts(db: Db, userId: string, id: string) {
  return db
    .select({ mediaType: messageAttachments.mediaType, data: messageAttachments.data })
    .from(messageAttachments)
    .where(and(eq(messageAttachments.id, id), eq(messageAttachments.userId, userId)))
    .get();
}

/**
 * Removes a pending upload of the member's (the composer's ×); sent images stay. False when the
 * member has no pending upload by that id (nothing removed).
 */
export function removePendingImage(db: Db, userId: string, id: string): boolean {
  const removed = db
    .delete(messageAttachments)
    .where(
      and(
        eq(messageAttachments.id, id),
        eq(messageAttachments.userId, userId),
        isNull(messageAttachments.messageId),
      ),
    )
    .run();
  return removed.changes > 0;
}

export const noSuchImage = () => new DomainError('NOT_FOUND', 'No such image.');
export const noSuchPendingImage = () =>
  new DomainError('NOT_FOUND', 'No such image waiting to be sent.');
