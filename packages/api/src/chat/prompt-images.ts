// Images in a prompt (docs/decisions/026): which images the new prompt carries, the history's
// images, and the refusal when the model answering cannot see them. Part of phase 1 (resolve):
// reads only, so a refusal here leaves nothing written.
import {
  checkImageIds,
  type ImageForPrompt,
  inRequestedOrder,
} from '../domain/chat/image-attachments.ts';
import type { Turn } from '../domain/chat/thread.ts';
import type { MemberContext } from '../member/member-context.ts';
import type { ChatStore } from '../storage/chats-store.ts';
import type { ContentPart, ProviderMessage } from './providers/types.ts';

/**
 * The images the prompt carries: the uploads sent with it (`claim`: to give to the stored prompt);
 * on regenerate the stored prompt's own; on an edit without new ones the edited prompt's (carried
 * over to the new prompt). Throws DomainError (NOT_FOUND, VALIDATION) for ids not to be used.
 */
export async function newPromptImages(
  chats: Pick<ChatStore, 'imagesOfMessages' | 'pendingUploads'>,
  input: { userId: string; turn: Turn; imageIds: readonly string[] },
): Promise<{ images: ImageForPrompt[]; claim: string[]; carryFrom?: string }> {
  const { turn } = input;
  if (turn.kind === 'regenerate')
    return {
      images: (await chats.imagesOfMessages([turn.promptId])).get(turn.promptId) ?? [],
      claim: [],
    };
  if (turn.kind === 'edit' && input.imageIds.length === 0) {
    const images = (await chats.imagesOfMessages([turn.promptId])).get(turn.promptId) ?? [];
    return { images, claim: [], carryFrom: images.length > 0 ? turn.promptId : undefined };
  }
  if (input.imageIds.length === 0) return { images: [], claim: [] };
  checkImageIds(input.imageIds);
  const found = await chats.pendingUploads(input.userId, input.imageIds);
  return { images: inRequestedOrder(input.imageIds, found), claim: [...input.imageIds] };
}

/** The message with its images as OpenAI image parts after its text (unchanged without any). */
export function withImages(message: ProviderMessage, images: readonly ImageForPrompt[]) {
  if (images.length === 0) return message;
  const parts: ContentPart[] = [
    { type: 'text', text: message.content },
    ...images.map(
      (image): ContentPart => ({
        type: 'image_url',
        // `auto`: counted as 765 tokens at admission, like every image without a detail.
        image_url: { url: image.url, detail: 'auto' },
      }),
    ),
  ];
  return { ...message, parts };
}

/** History with each earlier prompt's images, for a model that can see them. */
export async function historyWithImages(
  chats: Pick<ChatStore, 'imagesOfMessages'>,
  history: readonly { id: string; role: ProviderMessage['role']; content: string }[],
  vision: boolean,
): Promise<ProviderMessage[]> {
  const images = vision
    ? await chats.imagesOfMessages(history.filter((m) => m.role === 'user').map((m) => m.id))
    : new Map<string, ImageForPrompt[]>();
  return history.map(({ id, role, content }) =>
    withImages({ role, content }, images.get(id) ?? []),
  );
}

export function hasImages(messages: readonly ProviderMessage[]): boolean {
  return messages.some((m) => m.parts?.some((part) => part.type === 'image_url'));
}

/** The refusal of images to a text-only model, naming the vision models the member may pick. */
export function notVisionCapable(
  member: MemberContext,
  modelId: string,
  visionModels: readonly string[],
) {
  return {
    code: 'MODEL_NOT_VISION_CAPABLE' as const,
    message: `The model "${modelId}" cannot read images. Pick a model that can, or remove the images.`,
    details: {
      model: modelId,
      visionModels: visionModels.filter((id) => member.entitlements.models.includes(id)),
    },
  };
}
