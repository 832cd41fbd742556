// The security suite's world: a real server on a random port (the server tests' harness) with a
// platform admin and three members, each vendor owner with a mark, plans, an assistant, a
// conversation and an API key — so every id a procedure takes has an owner to steal it from.
import { createApiKey, createCreditPack, createVendor, grantMark, uploadImage } from '@tessera/api';
import { conversations } from '@tessera/db';
import {
  STRONG_PASSWORD,
  startTestServer,
  type TestServer,
  verifyEmailInDb,
} from '../test/harness.ts';
import { type FakeGitHub, startFakeGitHub } from '../testing/fake-github.ts';
import { type FakeStripe, startFakeStripe } from '../testing/fake-stripe/index.ts';
import { startTestIssuer, type TestIssuer } from '../testing/oidc-issuer/index.ts';
import { call } from './http.ts';

export interface Person {
  email: string;
  userId: string;
  /** The `Cookie` header a browser signed in as this person sends. */
  cookie: string;
  sessionId: string;
  /** A second session of theirs, and a second conversation: rows a valid input may end. */
  spareSessionId: string;
  spareConversationId: string;
  /** The vendor this person owns, and its rows. */
  tenantId: string;
  markId: string;
  planId: string;
  inactivePlanId: string;
  assistantId: string;
  conversationId: string;
  /** An answered request of theirs (chat.stop takes request ids). */
  requestId: string;
  /** That request's prompt and answer (regenerate, edit, the alternatives flip). */
  promptId: string;
  answerId: string;
  apiKeyId: string;
  apiKey: string;
  /** An image uploaded and not sent yet (chat.images.*, decision 026). */
  imageId: string;
}

export interface World {
  server: TestServer;
  /** The platform admin (first account): the caller whose input is checked. */
  root: Person;
  /** Two vendors' owners, the victim and the attacker of the isolation cases. */
  alice: Person;
  bob: Person;
  /** Signed in, no role anywhere and the free tier only. */
  carol: { email: string; userId: string; cookie: string };
  /** Platform catalog ids from the demo seed, and a provider. */
  marks: { pro: string; enterprise: string };
  proPlanId: string;
  providerId: string;
  /** A credit pack of the platform's. */
  packId: string;
  /** The fake Stripe the server talks to (Pro's first plan and the pack have prices there). */
  stripe: FakeStripe;
  /** The identity providers the server signs in with (a real OpenID Provider, a fake GitHub). */
  issuer: TestIssuer;
  github: FakeGitHub;
}

/** The webhook signing secret the world's server is configured with. */
export const STRIPE_WEBHOOK_SECRET = 'whsec_security_suite_secret';

export async function signUp(server: TestServer, email: string, password = STRONG_PASSWORD) {
  const response = await fetch(`${server.url}/trpc/auth.signUp`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`sign-up failed: ${await response.text()}`);
  const body = (await response.json()) as { result: { data: { user: { id: string } } } };
  const cookie = response.headers.getSetCookie()[0]!.split(';')[0]!;
  // As if the mailed link had been opened: the suite probes trials and checkout (decision 022).
  verifyEmailInDb(server, body.result.data.user.id);
  return { email, userId: body.result.data.user.id, cookie };
}

async function seedPerson(
  server: TestServer,
  name: string,
  admin?: { cookie: string },
): Promise<Person> {
  const db = server.database.db;
  const now = new Date();
  const account = await signUp(server, `${name}@example.com`);
  const actor = { actorUserId: null, now };
  // Enterprise: every model and API access, so plan gates never hide what is being tested.
  const enterprise = server.database.sqlite
    .prepare("select id from marks where key = 'enterprise'")
    .get() as { id: string };
  grantMark(db, {
    userId: account.userId,
    markId: enterprise.id,
    days: 30,
    source: 'admin',
    ...actor,
  });
  const tenant = createVendor(db, {
    slug: `${name}-shop`,
    name: `${name}'s shop`,
    ownerEmail: account.email,
    ...actor,
  });
  // What the platform delegates to the vendor: its marks must lie within it.
  const ceiling = await call(server, admin ?? account, 'admin.vendors.setCeiling', 'mutation', {
    tenantId: tenant.id,
    ceiling: { models: ['tessera-mini'], trialDays: 7 },
  });
  if (ceiling.status !== 200) throw new Error(`setCeiling: ${JSON.stringify(ceiling.body)}`);
  // The vendor's own rows, made by its owner through the API like the vendor console does.
  const make = async (path: string, input: object) => {
    const reply = await call(server, account, path, 'mutation', { tenantId: tenant.id, ...input });
    if (reply.status !== 200) throw new Error(`${path}: ${JSON.stringify(reply.body)}`);
    return reply.body.result.data as { id: string };
  };
  const mark = await make('vendor.marks.create', {
    slug: 'gold',
    name: 'Gold',
    entitlements: { models: ['tessera-mini'] },
  });
  const plan = (active: boolean) =>
    make('vendor.plans.create', {
      markId: mark.id,
      fields: {
        name: `${name} plan`,
        priceMinor: 500,
        currency: 'usd',
        interval: 'month',
        trialDays: 7,
        active,
      },
    });
  const assistant = await make('vendor.assistants.create', {
    fields: { name: 'Helper', systemPrompt: 'Be kind.', modelId: 'tessera-mini', markId: mark.id },
  });
  // A real answer, so its request id has the reservation and message a real one leaves.
  const requestId = `request-${name}-0001`;
  const conversationId = await answerOnce(server, account, requestId);
  const exchange = server.database.sqlite
    .prepare('select role, id from messages where conversation_id = ?')
    .all(conversationId) as { role: string; id: string }[];
  const promptId = exchange.find((m) => m.role === 'user')!.id;
  const answerId = exchange.find((m) => m.role === 'assistant')!.id;
  const spareConversationId = `spare-conv-${name}`;
  db.insert(conversations)
    .values({
      id: spareConversationId,
      userId: account.userId,
      title: 'Old',
      modelId: 'tessera-mini',
      createdAt: now,
      updatedAt: now,
    })
    .run();
  const key = createApiKey(db, { userId: account.userId, name: 'ci', ...actor });
  // A linked outside account (auth.unlinkIdentity's row, and someone else's for the others).
  server.database.sqlite
    .prepare(
      "insert into user_identities (provider, subject, user_id, email, created_at) values ('oidc', ?, ?, ?, ?)",
    )
    .run(`subject-${name}`, account.userId, account.email, now.getTime());
  const sessionId = sessionIdOf(account.cookie);
  const spare = await fetch(`${server.url}/trpc/auth.signIn`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: server.url },
    body: JSON.stringify({ email: account.email, password: STRONG_PASSWORD }),
  });
  const spareSessionId = sessionIdOf(spare.headers.getSetCookie()[0]!.split(';')[0]!);
  return {
    ...account,
    sessionId,
    spareSessionId,
    spareConversationId,
    tenantId: tenant.id,
    markId: mark.id,
    planId: (await plan(true)).id,
    inactivePlanId: (await plan(false)).id,
    assistantId: assistant.id,
    conversationId,
    requestId,
    promptId,
    answerId,
    apiKeyId: key.id,
    apiKey: key.key,
    imageId: uploadImage(db, { userId: account.userId, dataUrl: TINY_PNG, now }).id,
  };
}

/** A real 1 × 1 px PNG. */
const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';

/** Asks one question over SSE and reads the answer to its end; returns the conversation id. */
async function answerOnce(server: TestServer, as: { cookie: string }, requestId: string) {
  const input = encodeURIComponent(
    JSON.stringify({ requestId, model: 'tessera-mini', content: 'Hi' }),
  );
  const response = await fetch(`${server.url}/trpc/chat.stream?input=${input}`, {
    headers: { cookie: as.cookie, accept: 'text/event-stream' },
  });
  const text = await response.text(); // the server ends the stream after `done`
  const conversationId = /"conversationId":"([^"]+)"/.exec(text)?.[1];
  if (!conversationId || !text.includes('"type":"done"')) throw new Error(`chat failed: ${text}`);
  return conversationId;
}

const sessionIdOf = (cookie: string) => cookie.split('=')[1]!.split('.')[0]!;

/** The origin /v1 allows in the security world (V1_CORS_ORIGINS). */
export const V1_CLIENT_ORIGIN = 'https://client.example';

export async function startWorld(): Promise<World> {
  // Checkout, the portal and invoices run for real against the fake, so a refusal the suite sees
  // is the procedure's own, not "Stripe is not configured".
  const stripe = await startFakeStripe({ webhookSecret: STRIPE_WEBHOOK_SECRET });
  // Both SSO providers are on, so their routes' refusals are their own, not "not configured".
  const issuer = await startTestIssuer();
  const github = await startFakeGitHub();
  const started = await startTestServer({
    sso: {
      oidc: { issuer: issuer.issuer, clientId: 'tessera', clientSecret: 'issuer-secret' },
      github: {
        clientId: github.clientId,
        clientSecret: github.clientSecret,
        baseUrl: github.url,
        apiUrl: github.url,
      },
    },
    seedDemo: true,
    demoTokensPerSecond: 10_000,
    // One origin browser clients may call /v1 from (its cases check what that does not allow).
    v1CorsOrigins: [V1_CLIENT_ORIGIN],
    stripe: {
      secretKey: stripe.secretKey,
      apiBase: stripe.url,
      webhookSecret: STRIPE_WEBHOOK_SECRET,
      graceDays: 3,
    },
  });
  const server: TestServer = {
    ...started,
    async stop() {
      await stripe.close();
      await issuer.close();
      await github.close();
      await started.stop();
    },
  };
  stripe.webhookUrl = `${server.url}/api/stripe/webhook`;
  issuer.configure({
    clientId: 'tessera',
    clientSecret: 'issuer-secret',
    redirectUris: [`${server.url}/api/auth/sso/oidc/callback`],
  });
  const root = await seedPerson(server, 'root'); // first account: the platform admin
  const alice = await seedPerson(server, 'alice', root);
  const bob = await seedPerson(server, 'bob', root);
  const carol = await signUp(server, 'carol@example.com');
  const ids = (sql: string) =>
    Object.fromEntries(server.database.sqlite.prepare(sql).raw().all() as [string, string][]);
  const marks = ids("select key, id from marks where tenant_id = 'platform'") as World['marks'];
  grantMark(server.database.db, {
    userId: carol.userId,
    markId: marks.pro,
    days: 30,
    source: 'admin',
    actorUserId: null,
    now: new Date(),
  });
  // Looking at her usage refills carol's free allowance now, so that the first refusal she gets
  // later is not also her first on-demand refill (a write that is hers, not the refusal's).
  await call(server, carol, 'usage.summary', 'query');
  const proPlanId = (
    server.database.sqlite.prepare('select id from plans where mark_id = ?').get(marks.pro) as {
      id: string;
    }
  ).id;
  const provider = await call(server, root, 'admin.models.providers.create', 'mutation', {
    fields: { name: 'Upstream', baseUrl: 'http://127.0.0.1:9/v1' },
  });
  const providerId = provider.body.result.data.id as string;
  const pack = createCreditPack(server.database.db, {
    fields: { name: 'Starter', credits: 500, priceMinor: 300, currency: 'usd' },
    actorUserId: null,
    now: new Date(),
  });
  const price = stripe.createPrice({ unitAmount: 2000, interval: 'month' });
  const packPrice = stripe.createPrice({ unitAmount: 300 });
  server.database.sqlite
    .prepare('update plans set stripe_price_id = ? where id = ?')
    .run(price.id, proPlanId);
  server.database.sqlite
    .prepare('update credit_packs set stripe_price_id = ? where id = ?')
    .run(packPrice.id, pack.id);
  return {
    server,
    root,
    alice,
    bob,
    carol,
    marks,
    proPlanId,
    providerId,
    packId: pack.id,
    stripe,
    issuer,
    github,
  };
}

/**
 * Every table's rows in a fixed order, to compare before and after a request. Left out:
 * `auth_throttles`, whose buckets a refused sign-in is meant to drain (that is the throttle
 * working, not a write the input caused), and drizzle's migration log.
 */
export function dumpDatabase(server: TestServer): Record<string, string> {
  const sqlite = server.database.sqlite;
  const tables = sqlite
    .prepare(
      "select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and name not like '__drizzle%' and name <> 'auth_throttles' order by name",
    )
    .all() as { name: string }[];
  // One JSON string per table: a failing comparison names the tables that changed.
  const dump: Record<string, string> = {};
  for (const { name } of tables) {
    // The sender loop delivers queued mail in the background (decision 021): its bookkeeping
    // (status, attempts, times) moves on its own, so only which mails exist is compared.
    const columns =
      name === 'mail_outbox' ? 'id, "to", locale, template, subject, text, html, created_at' : '*';
    const rows = sqlite.prepare(`select ${columns} from "${name}" order by 1`).all();
    dump[name] = JSON.stringify(rows, (_key, value) =>
      Buffer.isBuffer(value) ? value.toString('hex') : value,
    );
  }
  return dump;
}
