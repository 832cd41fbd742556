// One conversation as a file: Markdown for reading, JSON for tools. Built in the browser from the
// stored messages (what `chat.conversations.messages` returns) and saved through a Blob download.
import type { StoredMessage } from './trpc.ts';

export interface ExportLabels {
  you: string;
  assistant: string;
}

/** `# Title`, then each message under a heading: the prompt as it was sent, answers as written. */
export function conversationMarkdown(
  title: string,
  messages: readonly StoredMessage[],
  labels: ExportLabels,
  modelName: (id: string) => string = (id) => id,
): string {
  const parts = [`# ${title}`];
  for (const message of messages) {
    if (message.role === 'system') continue;
    const heading =
      message.role === 'user'
        ? labels.you
        : message.modelId
          ? `${labels.assistant} (${modelName(message.modelId)})`
          : labels.assistant;
    parts.push(`## ${heading}`, message.content.trim());
  }
  return `${parts.join('\n\n')}\n`;
}

/** The conversation as data: a version, the title and every message with what it cost. */
export function conversationJson(
  conversation: { id: string; title: string },
  messages: readonly StoredMessage[],
  exportedAt: Date,
): string {
  return `${JSON.stringify(
    {
      format: 'tessera.conversation',
      version: 1,
      id: conversation.id,
      title: conversation.title,
      exportedAt: exportedAt.toISOString(),
      messages: messages.map((message) => ({
        role: message.role,
        content: message.content,
        createdAt: new Date(message.createdAt).toISOString(),
        model: message.modelId,
        status: message.status,
        credits: message.credits,
        assistant: message.assistant?.name ?? null,
        plugin: message.plugin?.id ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}

/** A file name from a title: letters, digits and dashes (any script), never empty. */
export function exportFileName(title: string, extension: 'md' | 'json'): string {
  const base = title
    .normalize('NFKC')
    .replace(/[^\p{L}\p{N}]+/gu, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 60);
  return `${base || 'conversation'}.${extension}`;
}

/** Saves `text` as a file the browser downloads. */
export function downloadText(fileName: string, text: string, type: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: `${type};charset=utf-8` }));
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has started once click() returns; the URL is not needed after this tick.
  window.setTimeout(() => URL.revokeObjectURL(url), 0);
}
