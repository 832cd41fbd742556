// chat.conversations.search: a member finds their own conversations by a word in the title or in
// any message (an answer included); `%` and `_` are literal; another member's never show up.
import { afterEach, describe, expect, it } from 'vitest';
import { createTestApi, signedUp, type TestApi } from './harness.ts';

describe('chat.conversations.search', () => {
  let api: TestApi;
  afterEach(() => api.destroy());

  let n = 0;
  function conversation(userId: string, title: string, contents: string[], updatedAt = ++n) {
    const id = `conv-${++n}`;
    api.db.sqlite
      .prepare(
        `insert into conversations (id, user_id, title, model_id, created_at, updated_at)
         values (?, ?, ?, 'tessera-mini', ?, ?)`,
      )
      .run(id, userId, title, updatedAt, updatedAt);
    contents.forEach((content, index) => {
      api.db.sqlite
        .prepare(
          `insert into messages (id, conversation_id, role, content, created_at) values (?, ?, ?, ?, ?)`,
        )
        .run(`${id}-m${index}`, id, index % 2 === 0 ? 'user' : 'assistant', content, index);
    });
    return id;
  }

  it('finds a conversation by a word that only an answer contains, with a snippet around it', async () => {
    api = createTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    const tiles = conversation(viewer.user.id, 'About tiles', [
      'What are mosaics made of?',
      `${'Filler words. '.repeat(10)}Small pieces called tesserae, often of smalti glass.`,
    ]);
    conversation(viewer.user.id, 'Other', ['Hello', 'Hi there']);
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
    api = createTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    const older = conversation(viewer.user.id, 'Garden plans', ['x', 'y'], 1000);
    const newer = conversation(viewer.user.id, 'More garden ideas', ['x', 'y'], 2000);
    const found = await api.caller(browser).chat.conversations.search({ q: 'garden' });
    expect(found.map((row) => [row.id, row.snippet])).toEqual([
      [newer, null],
      [older, null],
    ]);
  });

  it('only ever returns the caller’s own conversations', async () => {
    api = createTestApi();
    const ann = await signedUp(api, 'ann@example.com');
    const bob = await signedUp(api, 'bob@example.com');
    conversation(bob.viewer.user.id, 'Secret plans', ['my secret', 'the secret answer']);
    const annsOwn = conversation(ann.viewer.user.id, 'Mine', ['a secret of mine', 'ok']);
    const found = await api.caller(ann.browser).chat.conversations.search({ q: 'secret' });
    expect(found.map((row) => row.id)).toEqual([annsOwn]);
  });

  it('matches %, _ and \\ literally, not as wildcards', async () => {
    api = createTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    const percent = conversation(viewer.user.id, 'A', ['I am 100% sure', 'ok']);
    conversation(viewer.user.id, 'B', ['I am 1000 sure', 'ok']);
    const underscore = conversation(viewer.user.id, 'C', ['call snake_case here', 'ok']);
    conversation(viewer.user.id, 'D', ['call snakeXcase here', 'ok']);
    const backslash = conversation(viewer.user.id, 'E', ['path C:\\temp', 'ok']);
    const caller = api.caller(browser).chat.conversations;
    expect((await caller.search({ q: '100%' })).map((r) => r.id)).toEqual([percent]);
    expect((await caller.search({ q: 'snake_case' })).map((r) => r.id)).toEqual([underscore]);
    expect((await caller.search({ q: '%' })).map((r) => r.id)).toEqual([percent]);
    expect((await caller.search({ q: 'C:\\t' })).map((r) => r.id)).toEqual([backslash]);
  });

  it('returns at most 30 conversations and refuses an empty query', async () => {
    api = createTestApi();
    const { browser, viewer } = await signedUp(api, 'ann@example.com');
    for (let i = 0; i < 35; i++) conversation(viewer.user.id, `Note ${i}`, ['common word', 'ok']);
    const caller = api.caller(browser).chat.conversations;
    expect(await caller.search({ q: 'common' })).toHaveLength(30);
    await expect(caller.search({ q: '   ' })).rejects.toThrow();
  });
});
