// REQUIRE_VERIFIED_EMAIL_TO_CHAT (decision 022): with it, an unverified member's chat is refused
// as EMAIL_NOT_VERIFIED before anything is counted, reserved or stored — in the SPA's stream and
// on /v1 (403 from the OpenAI SDK) — and goes through once the address is verified. Without it
// (the default), chatting on Free needs no verified address.
import { afterEach, describe, expect, it } from 'vitest';
import {
  CookieFetch,
  chatStream,
  countRows,
  enterpriseApiMember,
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  trpcClient,
  verifyEmailInDb,
} from './harness.ts';

let server: TestServer | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

async function unverifiedMember(s: TestServer, email: string) {
  const browser = new CookieFetch(s.url);
  const { user } = await trpcClient(s.url, browser).auth.signUp.mutate({
    email,
    password: STRONG_PASSWORD,
  });
  const cookie = [...browser.jar].map(([k, v]) => `${k}=${v}`).join('; ');
  return { userId: user.id, cookie };
}

/** The first event of a chat answer in the SPA's stream. */
async function firstEvent(s: TestServer, cookie: string, requestId: string) {
  const abort = new AbortController();
  const input = { requestId, model: 'tessera-mini', content: 'Hello there' };
  try {
    for await (const event of chatStream(s, cookie, input, abort.signal)) return event.data;
  } finally {
    abort.abort();
  }
  throw new Error('the stream ended without an event');
}

describe('REQUIRE_VERIFIED_EMAIL_TO_CHAT', () => {
  it('on: the SPA and /v1 refuse an unverified member, nothing written, until verified', async () => {
    server = await startTestServer({ seedDemo: true, requireVerifiedEmailToChat: true });
    const member = await unverifiedMember(server, 'chatty@example.com');
    const refused = await firstEvent(server, member.cookie, 'verify-chat-0001');
    expect(refused).toMatchObject({ type: 'refused', reason: { code: 'EMAIL_NOT_VERIFIED' } });
    expect(await countRows(server, 'conversations')).toBe(0);
    expect(await countRows(server, 'credit_reservations')).toBe(0);

    const dev = await enterpriseApiMember(server, { credits: 1_000_000 });
    const messages = [{ role: 'user' as const, content: 'Hi' }];
    const error = await dev.client.chat.completions
      .create({ model: 'tessera-mini', messages })
      .then(
        () => null,
        (e: unknown) => e as { status: number; code: string },
      );
    expect(error).toMatchObject({ status: 403, code: 'email_not_verified' });
    expect(await countRows(server, 'credit_reservations')).toBe(0);

    await verifyEmailInDb(server, member.userId);
    await verifyEmailInDb(server, dev.user.id);
    const admitted = await firstEvent(server, member.cookie, 'verify-chat-0002');
    expect(admitted.type).toBe('admitted');
    const answer = await dev.client.chat.completions.create({ model: 'tessera-mini', messages });
    expect(answer.choices[0]?.message.content).toBeTruthy();
  });

  it('off (the default): chatting on Free needs no verified address', async () => {
    server = await startTestServer({ seedDemo: true });
    const member = await unverifiedMember(server, 'free@example.com');
    expect((await firstEvent(server, member.cookie, 'verify-chat-0003')).type).toBe('admitted');
  });
});
