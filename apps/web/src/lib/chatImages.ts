import type { Unlock } from './denial.ts';
import type { ChatModel } from './trpc.ts';

/**
 * Images in the composer (docs/decisions/026), as pure functions: which files may be attached,
 * and whether the chosen model can take them — or which model can, or what plan unlocks one.
 * The server checks all of it again.
 */

/** The same limits as the server's (packages/api domain/chat/image-attachments.ts). */
export const IMAGE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export const MAX_IMAGE_BYTES = 5 * 1024 * 1024;
export const MAX_IMAGES = 4;

export type ImageRejection = 'IMAGE_TYPE' | 'IMAGE_TOO_LARGE' | 'TOO_MANY_IMAGES';

/** Which of `files` can join the `attached` ones, and why each other one cannot. */
export function screenImageFiles<F extends { name: string; type: string; size: number }>(
  files: readonly F[],
  attached: number,
): { accepted: F[]; rejected: { name: string; code: ImageRejection }[] } {
  const accepted: F[] = [];
  const rejected: { name: string; code: ImageRejection }[] = [];
  for (const file of files) {
    if (!(IMAGE_TYPES as readonly string[]).includes(file.type))
      rejected.push({ name: file.name, code: 'IMAGE_TYPE' });
    else if (file.size > MAX_IMAGE_BYTES)
      rejected.push({ name: file.name, code: 'IMAGE_TOO_LARGE' });
    else if (attached + accepted.length >= MAX_IMAGES)
      rejected.push({ name: file.name, code: 'TOO_MANY_IMAGES' });
    else accepted.push(file);
  }
  return { accepted, rejected };
}

type VisionModel = Pick<ChatModel, 'id' | 'displayName' | 'vision' | 'allowed' | 'unlock'>;

export type ImageAccess =
  /** The chosen model reads images. */
  | { kind: 'allowed' }
  /** It does not, but the plan has models that do: pick one. */
  | { kind: 'pickModel'; models: string[] }
  /** No model of the plan does: what unlocks the first one that does. */
  | { kind: 'locked'; model: string; unlock: Unlock[] }
  /** No model here reads images at all: nothing to offer. */
  | { kind: 'none' };

export function imageAccess(models: readonly VisionModel[], chosen: string | null): ImageAccess {
  const vision = models.filter((model) => model.vision);
  if (vision.some((model) => model.id === chosen && model.allowed)) return { kind: 'allowed' };
  const usable = vision.filter((model) => model.allowed);
  if (usable.length > 0) return { kind: 'pickModel', models: usable.map((m) => m.displayName) };
  const first = vision[0];
  return first
    ? { kind: 'locked', model: first.displayName, unlock: first.unlock }
    : { kind: 'none' };
}

/** Reads a file as a `data:` URL (what is uploaded and what the thumbnail shows). */
export function readDataUrl(file: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error('unreadable'));
    reader.readAsDataURL(file);
  });
}
