// An operator deleting an account with the CLI (`user:delete --json`) while its /v1 answer streams:
// the answer is cut at its next chunk, the deletion audited as the OS user. On either engine: the
// CLI opens the run's database (tests-on-postgres.ts).
import { deletedEmail } from '@tessera/api';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  cliRunner,
  enterpriseApiMember,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
} from './harness.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function member(s: TestServer, email: string) {
  await trpcClient(s.url, new CookieFetch(s.url)).auth.signUp.mutate({
    email,
    password: STRONG_PASSWORD,
  });
}

async function rows(s: TestServer, query: string) {
  return s.storage.sql<Record<string, unknown>>(query);
}

describe('delete account from the CLI', () => {
  it('cuts a live /v1 answer when an operator deletes the account (user:delete --json)', async () => {
    server = await startTestServer({ seedDemo: true, demoTokensPerSecond: 40 });
    const s = server;
    await member(s, 'owner@example.com'); // else the API member would be the last owner
    const { user, client } = await enterpriseApiMember(s, { credits: 5_000_000 });
    const cli = cliRunner(() => s.storage.config);
    const stream = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [{ role: 'user', content: 'Tell me a long story about mosaics.' }],
      stream: true,
    });
    let chunks = 0;
    let afterChange = 0;
    let changed = false;
    let change: Promise<number> | undefined;
    const error = await (async () => {
      for await (const chunk of stream) {
        if (!chunk.choices[0]?.delta?.content) continue;
        chunks++;
        if (changed) afterChange++;
        if (chunks === 2 && !change)
          change = cli.run('user:delete', 'dev@example.com', '--json').then((code) => {
            changed = true;
            return code;
          });
      }
    })().catch((e: unknown) => e);
    expect(await change).toBe(0);
    expect(cli.json()).toMatchObject({
      userId: user.id,
      email: deletedEmail(user.id),
      apiKeysDeleted: 1,
    });
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ type: 'cut_off', code: 'account_disabled' });
    expect(afterChange).toBeLessThanOrEqual(1);
    const [audit] = await rows(
      s,
      "select actor_label from audit_events where action = 'user.deleted'",
    );
    expect(audit?.actor_label).toMatch(/^cli:/);
  });
});
