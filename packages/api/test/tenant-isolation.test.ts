// Tenant isolation. The router is enumerated at test time: every procedure whose input carries an
// id must have a case here in which a member of vendor B uses vendor A's ids — and must answer
// NOT_FOUND or FORBIDDEN. A new procedure without a case fails the first test.
import { TRPCError } from '@trpc/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adjustCreditsThrough } from '../src/domain/credits/adjust-credits.ts';
import { appRouter } from '../src/routers/_app.ts';
import { type EngineTestApi, openTestApi, signedUp } from './harness.ts';

type Caller = ReturnType<EngineTestApi['caller']>;
interface World {
  b: Caller;
  a: {
    tenantId: string;
    markId: string;
    planId: string;
    inactivePlanId: string;
    userId: string;
    sessionId: string;
    conversationId: string;
    /** An answer vendor A's owner is being given right now. */
    liveRequestId: string;
    apiKeyId: string;
    imageId: string;
    assistantId: string;
  };
  own: { tenantId: string; markId: string; planId: string };
}

const entitlements = {};
const planFields = { name: 'x', priceMinor: 100, currency: 'usd', interval: 'month' as const };

/** path → calls made by vendor B's owner with vendor A's ids. */
const cases: Record<string, ((w: World) => Promise<unknown>)[]> = {
  'auth.revokeSession': [(w) => w.b.auth.revokeSession({ id: w.a.sessionId })],
  // The catalog is public: trying any vendor's active plan is allowed; an inactive one is not found.
  'membership.startTrial': [(w) => w.b.membership.startTrial({ planId: w.a.inactivePlanId })],
  'chat.stream': [
    // Subscriptions report refusals as typed events; turn the first one into a rejection here.
    async (w) => {
      const stream = await w.b.chat.stream({
        requestId: 'isolation-1',
        conversationId: w.a.conversationId,
        model: 'tessera-mini',
        content: 'hi',
      });
      for await (const event of stream) {
        const data = (event as unknown as [string, { type: string; reason?: { code: string } }])[1];
        if (data.type === 'refused' && data.reason?.code === 'NOT_FOUND')
          throw new TRPCError({ code: 'NOT_FOUND' });
        throw new Error(`unexpected ${data.type}`);
      }
    },
  ],
  'chat.stop': [(w) => w.b.chat.stop({ requestId: w.a.liveRequestId })],
  'apiKeys.revoke': [(w) => w.b.apiKeys.revoke({ keyId: w.a.apiKeyId })],
  'chat.images.byId': [(w) => w.b.chat.images.byId({ id: w.a.imageId })],
  'chat.images.discard': [(w) => w.b.chat.images.discard({ id: w.a.imageId })],
  'chat.conversations.messages': [
    (w) => w.b.chat.conversations.messages({ conversationId: w.a.conversationId }),
  ],
  'chat.conversations.rename': [
    (w) => w.b.chat.conversations.rename({ conversationId: w.a.conversationId, title: 'pwned' }),
  ],
  'chat.conversations.showAnswer': [
    (w) =>
      w.b.chat.conversations.showAnswer({
        conversationId: w.a.conversationId,
        answerId: 'answer-a1',
      }),
  ],
  'chat.conversations.delete': [
    (w) => w.b.chat.conversations.delete({ conversationId: w.a.conversationId }),
  ],
  'vendor.assistants.list': [(w) => w.b.vendor.assistants.list({ tenantId: w.a.tenantId })],
  'vendor.ceiling': [(w) => w.b.vendor.ceiling({ tenantId: w.a.tenantId })],
  'vendor.assistants.create': [
    (w) =>
      w.b.vendor.assistants.create({
        tenantId: w.a.tenantId,
        fields: { name: 'x', systemPrompt: 'x', modelId: 'tessera-mini', markId: w.a.markId },
      }),
    // Own tenant, but a required mark that belongs to vendor A.
    (w) =>
      w.b.vendor.assistants.create({
        tenantId: w.own.tenantId,
        fields: { name: 'x', systemPrompt: 'x', modelId: 'tessera-mini', markId: w.a.markId },
      }),
  ],
  'vendor.assistants.update': [
    (w) =>
      w.b.vendor.assistants.update({
        tenantId: w.own.tenantId,
        assistantId: w.a.assistantId,
        fields: { name: 'pwned' },
      }),
    (w) =>
      w.b.vendor.assistants.update({
        tenantId: w.a.tenantId,
        assistantId: w.a.assistantId,
        fields: { name: 'pwned' },
      }),
  ],
  'vendor.marks.list': [(w) => w.b.vendor.marks.list({ tenantId: w.a.tenantId })],
  'vendor.marks.create': [
    (w) => w.b.vendor.marks.create({ tenantId: w.a.tenantId, slug: 'x', name: 'x', entitlements }),
  ],
  'vendor.marks.update': [
    (w) => w.b.vendor.marks.update({ tenantId: w.a.tenantId, markId: w.a.markId, name: 'pwned' }),
    (w) => w.b.vendor.marks.update({ tenantId: w.own.tenantId, markId: w.a.markId, name: 'pwned' }),
  ],
  'vendor.plans.list': [(w) => w.b.vendor.plans.list({ tenantId: w.a.tenantId })],
  'vendor.plans.create': [
    (w) =>
      w.b.vendor.plans.create({ tenantId: w.a.tenantId, markId: w.a.markId, fields: planFields }),
    (w) =>
      w.b.vendor.plans.create({ tenantId: w.own.tenantId, markId: w.a.markId, fields: planFields }),
  ],
  'vendor.plans.update': [
    (w) =>
      w.b.vendor.plans.update({
        tenantId: w.a.tenantId,
        planId: w.a.planId,
        fields: { priceMinor: 0 },
      }),
    (w) =>
      w.b.vendor.plans.update({
        tenantId: w.own.tenantId,
        planId: w.a.planId,
        fields: { priceMinor: 0 },
      }),
    (w) =>
      w.b.vendor.plans.update({
        tenantId: w.own.tenantId,
        planId: w.own.planId,
        markId: w.a.markId,
        fields: {},
      }),
  ],
  'vendor.subscribers.list': [(w) => w.b.vendor.subscribers.list({ tenantId: w.a.tenantId })],
  'vendor.staff.list': [(w) => w.b.vendor.staff.list({ tenantId: w.a.tenantId })],
  'vendor.money.revenue': [
    (w) => w.b.vendor.money.revenue({ tenantId: w.a.tenantId, range: '30d' }),
  ],
  'vendor.money.subscribers': [(w) => w.b.vendor.money.subscribers({ tenantId: w.a.tenantId })],
  'admin.vendors.addMember': [
    (w) =>
      w.b.admin.vendors.addMember({
        tenantId: w.a.tenantId,
        email: 'b@example.com',
        role: 'owner',
      }),
  ],
  'admin.vendors.members': [(w) => w.b.admin.vendors.members({ tenantId: w.a.tenantId })],
  'admin.vendors.setOwner': [
    (w) => w.b.admin.vendors.setOwner({ tenantId: w.a.tenantId, email: 'b@example.com' }),
  ],
  'admin.vendors.ceiling': [(w) => w.b.admin.vendors.ceiling({ tenantId: w.a.tenantId })],
  'admin.vendors.setCeiling': [
    (w) => w.b.admin.vendors.setCeiling({ tenantId: w.a.tenantId, ceiling: { apiAccess: true } }),
  ],
  'admin.vendors.suspend': [(w) => w.b.admin.vendors.suspend({ tenantId: w.a.tenantId })],
  'admin.vendors.reinstate': [(w) => w.b.admin.vendors.reinstate({ tenantId: w.a.tenantId })],
  'admin.users.disable': [(w) => w.b.admin.users.disable({ userId: w.a.userId })],
  'admin.users.enable': [(w) => w.b.admin.users.enable({ userId: w.a.userId })],
  'vendor.staff.add': [
    (w) => w.b.vendor.staff.add({ tenantId: w.a.tenantId, email: 'b@example.com', role: 'admin' }),
  ],
  'admin.users.byId': [(w) => w.b.admin.users.byId({ userId: w.a.userId })],
  // Invites are the platform's; a vendor's owner is not its admin.
  'admin.signup.revokeInvite': [(w) => w.b.admin.signup.revokeInvite({ id: 'invite-of-a' })],
  'admin.memberships.grant': [
    (w) => w.b.admin.memberships.grant({ userId: w.a.userId, markId: w.a.markId, days: 1 }),
  ],
  'admin.memberships.extend': [
    (w) => w.b.admin.memberships.extend({ userId: w.a.userId, markId: w.a.markId, days: 1 }),
  ],
  'admin.memberships.revoke': [
    (w) => w.b.admin.memberships.revoke({ userId: w.a.userId, markId: w.a.markId }),
  ],
  'admin.marks.list': [(w) => w.b.admin.marks.list({ tenantId: w.a.tenantId })],
  'admin.marks.update': [(w) => w.b.admin.marks.update({ markId: w.a.markId, name: 'pwned' })],
  'admin.plans.create': [(w) => w.b.admin.plans.create({ markId: w.a.markId, fields: planFields })],
  'admin.plans.update': [
    (w) => w.b.admin.plans.update({ planId: w.a.planId, fields: { priceMinor: 0 } }),
  ],
  'admin.credits.account': [(w) => w.b.admin.credits.account({ userId: w.a.userId })],
  'admin.credits.adjust': [
    (w) =>
      w.b.admin.credits.adjust({
        userId: w.a.userId,
        mode: 'add',
        amount: 1,
        reason: 'x',
        idempotencyKey: 'tenant-isolation',
      }),
  ],
  'admin.credits.previewRefill': [
    (w) =>
      w.b.admin.credits.previewRefill({
        markId: w.a.markId,
        policy: {
          amount: 1,
          every: { value: 1, unit: 'day' },
          strategy: 'reset',
          mode: 'scheduled',
          grades: [],
        },
      }),
  ],
  'admin.models.create': [
    (w) =>
      w.b.admin.models.create({
        modelId: 'sneaky',
        fields: {
          displayName: 'x',
          inputPricePerMillion: 0,
          outputPricePerMillion: 0,
          providerId: null,
        },
      }),
  ],
  'admin.models.update': [
    (w) =>
      w.b.admin.models.update({ modelId: 'tessera-mini', fields: { inputPricePerMillion: 0 } }),
  ],
  'admin.models.providers.update': [
    (w) =>
      w.b.admin.models.providers.update({ providerId: 'any-provider', fields: { name: 'pwned' } }),
  ],
  // Credit packs are the platform's alone: a vendor owner is no platform admin.
  'admin.packs.update': [
    (w) => w.b.admin.packs.update({ packId: 'any-pack', fields: { credits: 1 } }),
  ],
  'admin.audit.list': [
    (w) =>
      w.b.admin.audit.list({
        tenantId: w.a.tenantId,
        actorUserId: w.a.userId,
        subjectId: w.a.markId,
      }),
  ],
};

interface ProcedureLike {
  _def: { inputs: unknown[] };
}

function inputKeys(schema: unknown): string[] {
  let inner = schema as z.ZodType;
  while (inner instanceof z.ZodOptional || inner instanceof z.ZodNullable)
    inner = inner.unwrap() as z.ZodType;
  return inner instanceof z.ZodObject ? Object.keys(inner.shape) : [];
}

const CURSOR_KEYS = new Set(['lastEventId', 'beforeId']);
const idTaking = Object.entries(
  appRouter._def.procedures as unknown as Record<string, ProcedureLike>,
)
  // Cursors (tRPC's lastEventId, keyset beforeId) page through the caller's own rows; not row ids.
  .filter(([, p]) =>
    p._def.inputs.some((schema) =>
      inputKeys(schema).some((key) => !CURSOR_KEYS.has(key) && /(^id$|Id$)/.test(key)),
    ),
  )
  .map(([path]) => path)
  .sort();

describe('tenant isolation', () => {
  let api: EngineTestApi;
  let world: World;

  beforeAll(async () => {
    api = await openTestApi();
    const platformAdmin = await signedUp(api, 'root@example.com');
    const ownerA = await signedUp(api, 'a@example.com');
    const ownerB = await signedUp(api, 'b@example.com');
    const root = api.caller(platformAdmin.browser);
    const tenantA = await root.admin.vendors.create({
      slug: 'vendor-a',
      name: 'A',
      ownerEmail: 'a@example.com',
    });
    const tenantB = await root.admin.vendors.create({
      slug: 'vendor-b',
      name: 'B',
      ownerEmail: 'b@example.com',
    });
    // Both vendors may sell a trial and the mini model (a new vendor's ceiling grants nothing).
    for (const tenant of [tenantA, tenantB]) {
      await root.admin.vendors.setCeiling({
        tenantId: tenant.id,
        ceiling: { models: ['tessera-mini'], trialDays: 7 },
      });
    }
    const a = api.caller(ownerA.browser);
    const b = api.caller(ownerB.browser);
    const markA = await a.vendor.marks.create({
      tenantId: tenantA.id,
      slug: 'gold',
      name: 'Gold',
      entitlements,
    });
    const planA = await a.vendor.plans.create({
      tenantId: tenantA.id,
      markId: markA.id,
      fields: { ...planFields, trialDays: 3 },
    });
    const hiddenA = await a.vendor.plans.create({
      tenantId: tenantA.id,
      markId: markA.id,
      fields: { ...planFields, trialDays: 3, active: false },
    });
    const markB = await b.vendor.marks.create({
      tenantId: tenantB.id,
      slug: 'gold',
      name: 'Gold',
      entitlements,
    });
    const planB = await b.vendor.plans.create({
      tenantId: tenantB.id,
      markId: markB.id,
      fields: planFields,
    });
    const sessionA = (await a.auth.sessions())[0]!;
    await api.sql(
      "insert into conversations (id, user_id, title, model_id, created_at, updated_at) values ('conv-a', $1, 'A private chat', 'tessera-mini', 0, 0)",
      [ownerA.viewer.user.id],
    );
    // A prompt of theirs answered twice (regenerate): B must not flip it.
    await api.sql(
      `insert into messages (id, conversation_id, role, content, reply_to, created_at) values
         ('prompt-a', 'conv-a', 'user', 'private', null, 0),
         ('answer-a1', 'conv-a', 'assistant', 'one', 'prompt-a', 1),
         ('answer-a2', 'conv-a', 'assistant', 'two', 'prompt-a', 2)`,
    );
    // Vendor A's owner is mid-answer: the engine waits at its first event while nobody reads on.
    await adjustCreditsThrough((move) => api.stores.money.moveCredits(move), {
      userId: ownerA.viewer.user.id,
      mode: 'set',
      amount: 1_000_000,
      reason: 'test',
      actorUserId: null,
      now: new Date(),
    });
    const liveAnswer = (
      await a.chat.stream({ requestId: 'a-live-answer', model: 'tessera-mini', content: 'hi' })
    )[Symbol.asyncIterator]();
    const admitted = (await liveAnswer.next()).value as unknown as [string, { type: string }];
    expect(admitted[1].type).toBe('admitted');
    world = {
      b,
      a: {
        tenantId: tenantA.id,
        markId: markA.id,
        planId: planA.id,
        inactivePlanId: hiddenA.id,
        userId: ownerA.viewer.user.id,
        sessionId: sessionA.id,
        conversationId: 'conv-a',
        liveRequestId: 'a-live-answer',
        // An image A uploaded and has not sent yet (1×1 PNG).
        imageId: (
          await a.chat.images.upload({
            dataUrl:
              'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
          })
        ).id,
        assistantId: (
          await a.vendor.assistants.create({
            tenantId: tenantA.id,
            fields: {
              name: 'A bot',
              systemPrompt: 'secret sauce',
              modelId: 'tessera-mini',
              markId: markA.id,
            },
          })
        ).id,
        apiKeyId: (
          await api.stores.members.createApiKey({
            userId: ownerA.viewer.user.id,
            name: 'a',
            actorUserId: null,
            now: new Date(),
          })
        ).id,
      },
      own: { tenantId: tenantB.id, markId: markB.id, planId: planB.id },
    };
  });
  afterAll(() => api.destroy());

  /** Marks, plans, tenant roles and memberships, all tenants together: a refusal changes none. */
  async function catalogRows() {
    const [row] = await api.sql<{ n: number }>(
      'select (select count(*) from marks) + (select count(*) from plans) + (select count(*) from tenant_members) + (select count(*) from memberships) as n',
    );
    return Number(row!.n);
  }

  it('has a case for every procedure that takes an id', () => {
    expect(idTaking.length).toBeGreaterThan(10);
    expect(Object.keys(cases).sort()).toEqual(idTaking);
  });

  it.each(
    Object.entries(cases).flatMap(([path, calls]) =>
      calls.map((call, i) => [`${path} #${i + 1}`, call] as const),
    ),
  )('%s refuses vendor A ids', async (_name, call) => {
    const before = await catalogRows();
    const error = await call(world).then(
      () => expect.fail('expected a refusal'),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(TRPCError);
    expect(['NOT_FOUND', 'FORBIDDEN']).toContain((error as TRPCError).code);
    expect(await catalogRows()).toBe(before);
  });

  it("leaves vendor A's rows untouched, while B still manages its own", async () => {
    const marksA = await api.sql('select name from marks where tenant_id = $1', [world.a.tenantId]);
    expect(marksA).toEqual([{ name: 'Gold' }]);
    const prices = await api.sql<{ price_minor: number }>(
      'select price_minor from plans where tenant_id = $1',
      [world.a.tenantId],
    );
    expect(prices.map((p) => Number(p.price_minor))).toEqual([100, 100]);
    expect(
      (
        await world.b.vendor.marks.update({
          tenantId: world.own.tenantId,
          markId: world.own.markId,
          name: 'Gold+',
        })
      ).name,
    ).toBe('Gold+');
    expect(await world.b.vendor.plans.list({ tenantId: world.own.tenantId })).toHaveLength(1);
  });
});
