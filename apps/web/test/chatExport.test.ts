import { describe, expect, it } from 'vitest';
import { conversationJson, conversationMarkdown, exportFileName } from '../src/lib/chatExport.ts';
import type { StoredMessage } from '../src/lib/trpc.ts';

const message = (over: Partial<StoredMessage>): StoredMessage => ({
  id: 'm',
  role: 'user',
  content: '',
  images: [],
  requestId: null,
  status: null,
  modelId: null,
  credits: null,
  endReason: null,
  plugin: null,
  assistant: null,
  createdAt: '2026-03-01T12:00:00.000Z',
  replyTo: null,
  shownAnswerId: null,
  ...over,
});

const messages = [
  message({ id: 'u', content: 'What is a *tessera*?' }),
  message({
    id: 'a',
    role: 'assistant',
    content: 'A tile.\n\n```ts\nconst x = 1;\n```\n',
    modelId: 'tessera-mini',
    status: 'complete',
    credits: 12,
  }),
];

describe('conversation export', () => {
  it('as Markdown: the title, each prompt and answer under a heading, the markdown kept', () => {
    expect(
      conversationMarkdown('Tiles', messages, { you: 'You', assistant: 'Assistant' }, () => 'Mini'),
    ).toBe(
      '# Tiles\n\n## You\n\nWhat is a *tessera*?\n\n## Assistant (Mini)\n\nA tile.\n\n```ts\nconst x = 1;\n```\n',
    );
  });

  it('as JSON that parses back to the messages, with model, status and cost', () => {
    const parsed = JSON.parse(
      conversationJson({ id: 'c1', title: 'Tiles' }, messages, new Date('2026-03-02T00:00:00Z')),
    );
    expect(parsed).toEqual({
      format: 'tessera.conversation',
      version: 1,
      id: 'c1',
      title: 'Tiles',
      exportedAt: '2026-03-02T00:00:00.000Z',
      messages: [
        {
          role: 'user',
          content: 'What is a *tessera*?',
          createdAt: '2026-03-01T12:00:00.000Z',
          model: null,
          status: null,
          credits: null,
          assistant: null,
          plugin: null,
        },
        {
          role: 'assistant',
          content: 'A tile.\n\n```ts\nconst x = 1;\n```\n',
          createdAt: '2026-03-01T12:00:00.000Z',
          model: 'tessera-mini',
          status: 'complete',
          credits: 12,
          assistant: null,
          plugin: null,
        },
      ],
    });
  });

  it('names the file after the title, in any script, never empty', () => {
    expect(exportFileName('What is a tessera?', 'md')).toBe('What-is-a-tessera.md');
    expect(exportFileName('马赛克 / 瓷砖', 'json')).toBe('马赛克-瓷砖.json');
    expect(exportFileName('///', 'md')).toBe('conversation.md');
  });
});
