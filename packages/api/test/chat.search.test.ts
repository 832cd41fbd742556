// chat.conversations.search: a member finds their own conversations by a word in the title or in
// any message (an answer included); `%` and `_` are literal; another member's never show up.
import { afterEach, describe, expect, it } from 'vitest';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

describe('chat.conversations.search', () => {
  let api: EngineTestApi;
  afterEach(() => api.destroy());

  let n = 0;
  async function conversation(userId: string, title: string, contents: string[], updatedAt = ++n) {
    const id = `conv-${++n}`;
    await api.sql(
      `insert into conversations (id, user_id, title, model_id, created_at, updated_at)
       values ($1, $2, $3, 'tessera-mini', $4, $5)`,
      [id, userId, title, updatedAt, updatedAt],
    );
    for (const [index, content] of contents.entries())
      await api.sql(
        `insert into messages (id, conversation_id, role, content, created_at)
         values ($1, $2, $3, $4, $5)`,
        [`${id}-m${index}`, id, index % 2 === 0 ? 'user' : 'assistant', content, index],
      );
    return id;
  }

  it('finds a conversation by a word that only an answer contains, with a snippet around it', async () => {
    api = await openTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    const tiles = await conversation(viewer.user.id, 'About tiles', [
      'What are mosaics made of?',
      `${'Filler words. '.repeat(10)}Small pieces called tesserae, often of smalti glass.`,
    ]);
    await conversation(viewer.user.id, 'Other', ['Hello', 'Hi there']);
    const found = await api.caller(browser).chat.conversations.search({ q: 'SMALTI' });
    expect(found).toEqual([
      {
        id: tiles,
        title: 'About tiles',
        modelId: 'tessera-mini',
        updatedAt: expect.any(Date),
        snippet: expect.stringMatching(/^….*often of smalti glass\.$/),
      },
    ]);
  });

  it('finds by title (no snippet), newest first', async () => {
    api = await openTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    const older = await conversation(viewer.user.id, 'Garden plans', ['x', 'y'], 1000);
    const newer = await conversation(viewer.user.id, 'More garden ideas', ['x', 'y'], 2000);
    const found = await api.caller(browser).chat.conversations.search({ q: 'garden' });
    expect(found.map((row) => [row.id, row.snippet])).toEqual([
      [newer, null],
      [older, null],
    ]);
  });

  it('only ever returns the caller’s own conversations', async () => {
    api = await openTestApi();
    const ann = await signedUp(api, 'ann@example.com');
    const bob = await signedUp(api, 'bob@example.com');
    await conversation(bob.viewer.user.id, 'Secret plans', ['my secret', 'the secret answer']);
    const annsOwn = await conversation(ann.viewer.user.id, 'Mine', ['a secret of mine', 'ok']);
    const found = await api.caller(ann.browser).chat.conversations.search({ q: 'secret' });
    expect(found.map((row) => row.id)).toEqual([annsOwn]);
  });

  it('matches %, _ and \\ literally, not as wildcards', async () => {
    api = await openTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    const percent = await conversation(viewer.user.id, 'A', ['I am 100% sure', 'ok']);
    await conversation(viewer.user.id, 'B', ['I am 1000 sure', 'ok']);
    const underscore = await conversation(viewer.user.id, 'C', ['call snake_case here', 'ok']);
    await conversation(viewer.user.id, 'D', ['call snakeXcase here', 'ok']);
    const backslash = await conversation(viewer.user.id, 'E', ['path C:\\temp', 'ok']);
    const caller = api.caller(browser).chat.conversations;
    expect((await caller.search({ q: '100%' })).map((r) => r.id)).toEqual([percent]);
    expect((await caller.search({ q: 'snake_case' })).map((r) => r.id)).toEqual([underscore]);
    expect((await caller.search({ q: '%' })).map((r) => r.id)).toEqual([percent]);
    expect((await caller.search({ q: 'C:\\t' })).map((r) => r.id)).toEqual([backslash]);
  });

  it('returns at most 30 conversations and refuses an empty query', async () => {
    api = await openTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    for (let i = 0; i < 35; i++)
      await conversation(viewer.user.id, `Note ${i}`, ['common word', 'ok']);
    const caller = api.caller(browser).chat.conversations;
    expect(await caller.search({ q: 'common' })).toHaveLength(30);
    await expect(caller.search({ q: '   ' })).rejects.toThrow();
  });
});
