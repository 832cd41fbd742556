// The user's message of an admitted SPA request, in one transaction: the conversation (created
// when new), an edit's supersession of the old prompt and what followed it, the new prompt and
// the images it claims or carries over. A regenerate stores nothing new: its prompt is answered
// again. Runs after admission, so a refused request leaves nothing behind.
import type { Db } from '@tessera/db';
import type { StorePromptInput } from '../../storage/chats-store.ts';
import { appendUserMessage, openConversation } from './exchanges.ts';
import { claimImages, moveImages } from './image-attachments.ts';
import { supersedeFrom } from './thread.ts';

export function storePrompt(
  db: Db,
  input: StorePromptInput,
): { conversationId: string; promptId?: string } {
  const { turn } = input;
  return db.transaction(() => {
    const opened = openConversation(db, {
      userId: input.userId,
      conversationId: input.conversationId,
      modelId: input.modelId,
      firstMessage: input.content,
      now: input.now,
    });
    if (turn.kind === 'regenerate') return { conversationId: opened.id, promptId: turn.promptId };
    if (turn.kind === 'edit') supersedeFrom(db, opened.id, turn.promptId, input.now);
    const promptId = appendUserMessage(db, {
      conversationId: opened.id,
      content: input.content,
      assistantId: input.assistantId,
      plugin: input.plugin,
      now: input.now,
    });
    if (input.claimImages.length > 0)
      claimImages(db, { userId: input.userId, messageId: promptId, imageIds: input.claimImages });
    if (input.carryImagesFrom) moveImages(db, { from: input.carryImagesFrom, to: promptId });
    return { conversationId: opened.id, promptId };
  });
}
