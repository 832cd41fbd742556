// The case table: one entry per tRPC procedure, keyed by its path. The suite walks the router at
// test time and fails for any procedure without an entry here, so a new procedure is uncovered
// only until it gets one. An entry is usually a line or two:
//
//   'admin.users.byId': { input: (w) => ({ userId: w.carol.userId }), foreign: ADMIN_SEES_ALL },
//
// - `input`: a valid input for the platform admin `w.root` (who owns a vendor too). Every
//   hostile probe is derived from it (each field in turn: wrong type, missing, huge, negative,
//   non-finite, odd unicode, `__proto__`), and it must itself be accepted.
// - `foreign`: when the input carries an id (`id`, `…Id`), inputs naming someone else's rows —
//   sent by bob (by root for admin.*) they must answer NOT_FOUND or FORBIDDEN — or a sentence
//   saying why no one else's id exists for this procedure.
// - `access`: 'public' for procedures anyone may call; 'member' for a vendor.* procedure that any
//   signed-in user may call. admin.* needs a platform admin and vendor.* a vendor role otherwise.
// - `signed`: fields where a negative number is a legitimate value.
// - `newIds`: id fields a mutation creates rather than looks up (an unknown value is not a 404).
// - `endsSessions`: the procedure must end sessions (password change, disabling a user): who
//   calls it ('self': the user, whose other sessions end; 'admin': every session of the user
//   ends; 'visitor': called signed out, every session of the user ends) and its input for a freshly
//   signed-up target (sessions.test.ts).
import type { Db } from '@tessera/db';
import { accountCases } from './account-cases.ts';
import type { World } from './world.ts';

export interface ProcedureCase {
  input?: (w: World) => unknown;
  foreign?: ((w: World) => unknown[]) | string;
  access?: 'public' | 'member';
  signed?: string[];
  newIds?: string[];
  endsSessions?: {
    as: 'self' | 'admin' | 'visitor';
    input: (target: {
      userId: string;
      email: string;
      password: string;
      /** The server's database and clock, for inputs that need a secret issued first. */
      db: Db;
      now: Date;
    }) => unknown;
  };
}

const TINY_PNG =
  'data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
const ADMIN_SEES_ALL = 'platform admins act on every user and vendor by design';
const GLOBAL_CATALOG = 'the model catalog is global: there is no one else to own a model';
const entitlements = { models: ['tessera-mini'], requestsPerDay: 10, apiAccess: false };
/** Within the vendors' ceiling (world.ts), so vendor marks can be written at all. */
const vendorEntitlements = { models: ['tessera-mini'], apiAccess: false };
const planFields = {
  name: 'Plan',
  priceMinor: 100,
  currency: 'usd',
  interval: 'month',
  trialDays: 3,
};
const refill = {
  amount: 10,
  every: { value: 1, unit: 'day' },
  strategy: 'reset',
  mode: 'scheduled',
};

export const procedureCases: Record<string, ProcedureCase> = {
  // Accounts: sign-up, sign-in, sessions, two factors, verification, notifications, leaving.
  ...accountCases,

  'codes.redeem': { input: () => ({ code: 'TSRA-0000-0000-0000-0000' }) },

  'membership.mine': {},
  'membership.catalog': {},
  'membership.subscriptions': {},
  // Any vendor's active plan may be tried (the catalog is public); an inactive one is not found.
  'membership.startTrial': {
    input: (w) => ({ planId: w.bob.planId }),
    foreign: (w) => [{ planId: w.alice.inactivePlanId }],
  },
  'membership.events': {
    input: () => ({ lastEventId: '1' }),
    foreign: 'lastEventId is a position in the caller\u2019s own event stream, not a row',
  },

  'vendor.mine': { access: 'member' },
  ...vendorCases(),

  'usage.summary': {},
  'usage.daily': { input: () => ({ days: 7 }) },
  'usage.ledger': { input: () => ({ beforeId: 1000, limit: 10 }) },
  'usage.setCaps': { input: () => ({ dailyRequestCap: 100, monthlyCreditCap: 1000 }) },

  'billing.status': {},
  // A plan of any vendor may be bought (the catalog is public); another vendor's inactive plan is
  // not found. Who pays is always the caller: no input names a user or a Stripe customer.
  'billing.checkout': {
    input: (w) => ({ planId: w.proPlanId }),
    foreign: (w) => [{ planId: w.alice.inactivePlanId }],
  },
  'billing.portal': {},
  'billing.invoices': {},

  'chat.models': {},
  'chat.stream': {
    input: (w) => ({
      requestId: 'security-valid-1',
      conversationId: w.root.conversationId,
      model: 'tessera-mini',
      content: 'Hello',
      assistantId: w.root.assistantId,
      // A regenerate of their latest prompt (decision 020); `edit` takes the same shape.
      regenerate: { promptId: w.root.promptId },
      // Uploaded images (decision 026); a regenerate answers with the prompt's own instead.
      images: [w.root.imageId],
    }),
    // Another vendor's active assistant is a public product (MARK_REQUIRED, with what unlocks
    // it); someone else's request id is a CONFLICT, tested on its own in access.test.ts.
    foreign: (w) => [
      {
        requestId: 'security-x-1',
        conversationId: w.alice.conversationId,
        model: 'tessera-mini',
        content: 'hi',
      },
      // Someone else's prompt, named from my own conversation: not found.
      {
        requestId: 'security-x-2',
        conversationId: w.root.conversationId,
        model: 'tessera-mini',
        content: 'hi',
        regenerate: { promptId: w.alice.promptId },
      },
      {
        requestId: 'security-x-3',
        conversationId: w.root.conversationId,
        model: 'tessera-mini',
        content: 'hi',
        edit: { promptId: w.alice.promptId },
      },
      // Someone else's uploaded image: not found.
      {
        requestId: 'security-x-4',
        model: 'tessera-plus',
        content: 'hi',
        images: [w.alice.imageId],
      },
    ],
  },
  // Images (decision 026). An upload names no row; the others take one of the caller's uploads.
  'chat.images.upload': { input: () => ({ dataUrl: TINY_PNG }) },
  'chat.images.discard': {
    input: (w) => ({ id: w.root.imageId }),
    foreign: (w) => [{ id: w.alice.imageId }],
  },
  'chat.images.byId': {
    input: (w) => ({ id: w.root.imageId }),
    foreign: (w) => [{ id: w.alice.imageId }],
  },
  'chat.stop': {
    input: (w) => ({ requestId: w.root.requestId }),
    foreign: (w) => [{ requestId: w.alice.requestId }],
  },
  'chat.plugins': {},
  'chat.assistants': {},
  'chat.conversations.list': {},
  // The input names no row: it searches the caller's own (packages/api/test/chat.search.test.ts).
  'chat.conversations.search': { input: () => ({ q: 'hello' }) },
  'chat.conversations.messages': {
    input: (w) => ({ conversationId: w.root.conversationId }),
    foreign: (w) => [{ conversationId: w.alice.conversationId }],
  },
  'chat.conversations.showAnswer': {
    input: (w) => ({ conversationId: w.root.conversationId, answerId: w.root.answerId }),
    foreign: (w) => [
      { conversationId: w.alice.conversationId, answerId: w.alice.answerId },
      { conversationId: w.root.conversationId, answerId: w.alice.answerId },
    ],
  },
  'chat.conversations.rename': {
    input: (w) => ({ conversationId: w.root.conversationId, title: 'Renamed' }),
    foreign: (w) => [{ conversationId: w.alice.conversationId, title: 'pwned' }],
  },
  'chat.conversations.delete': {
    input: (w) => ({ conversationId: w.root.spareConversationId }),
    foreign: (w) => [{ conversationId: w.alice.conversationId }],
  },

  'apiKeys.list': {},
  'apiKeys.create': { input: () => ({ name: 'deploy' }) },
  'apiKeys.revoke': {
    input: (w) => ({ keyId: w.root.apiKeyId }),
    foreign: (w) => [{ keyId: w.alice.apiKeyId }],
  },

  'admin.credits.account': { input: (w) => ({ userId: w.carol.userId }), foreign: ADMIN_SEES_ALL },
  'admin.credits.adjust': {
    input: (w) => ({
      userId: w.carol.userId,
      mode: 'add',
      amount: 5,
      reason: 'goodwill',
      idempotencyKey: 'security-adjust-1',
    }),
    foreign: ADMIN_SEES_ALL,
    signed: ['amount'], // a negative adjustment takes credits away
  },
  'admin.credits.previewRefill': {
    input: (w) => ({ markId: w.root.markId, policy: refill }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.credits.runRefill': { input: () => ({ includeOnDemand: false }) },
  'admin.credits.refillRuns': {},
  'admin.models.list': {},
  'admin.models.create': {
    input: () => ({
      modelId: 'security-model',
      fields: {
        displayName: 'S',
        inputPricePerMillion: 1,
        outputPricePerMillion: 2,
        providerId: null,
      },
    }),
    foreign: GLOBAL_CATALOG,
    newIds: ['modelId'],
  },
  'admin.models.update': {
    input: () => ({ modelId: 'tessera-mini', fields: { displayName: 'Mini' } }),
    foreign: GLOBAL_CATALOG,
  },
  'admin.models.providers.list': {},
  'admin.models.providers.create': {
    input: () => ({ fields: { name: 'Local', baseUrl: 'http://127.0.0.1:9/v1', apiKey: 'sk-x' } }),
  },
  'admin.models.providers.update': {
    input: (w) => ({ providerId: w.providerId, fields: { name: 'Renamed' } }),
    foreign: GLOBAL_CATALOG,
  },
  'admin.users.list': { input: () => ({ search: 'ali' }) },
  'admin.mail.outbox': { input: () => ({ limit: 10 }) },
  'admin.users.disable': {
    input: (w) => ({ userId: w.carol.userId, reason: 'security test' }),
    foreign: ADMIN_SEES_ALL,
    endsSessions: { as: 'admin', input: (t) => ({ userId: t.userId, reason: 'security test' }) },
  },
  'admin.users.enable': { input: (w) => ({ userId: w.carol.userId }), foreign: ADMIN_SEES_ALL },
  'vendor.ceiling': {
    input: (w) => ({ tenantId: w.root.tenantId }),
    foreign: (w) => [{ tenantId: w.alice.tenantId }],
  },
  'admin.vendors.setOwner': {
    input: (w) => ({ tenantId: w.root.tenantId, email: w.root.email }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.vendors.ceiling': {
    input: (w) => ({ tenantId: w.alice.tenantId }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.vendors.setCeiling': {
    input: (w) => ({
      tenantId: w.root.tenantId,
      ceiling: { models: ['tessera-mini'], trialDays: 7 },
    }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.vendors.suspend': {
    input: (w) => ({ tenantId: w.bob.tenantId, reason: 'security test' }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.vendors.reinstate': {
    input: (w) => ({ tenantId: w.bob.tenantId }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.users.byId': { input: (w) => ({ userId: w.carol.userId }), foreign: ADMIN_SEES_ALL },
  'admin.memberships.grant': {
    input: (w) => ({ userId: w.carol.userId, markId: w.marks.enterprise, days: 30, reason: 'x' }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.memberships.extend': {
    input: (w) => ({ userId: w.alice.userId, markId: w.marks.enterprise, days: 1 }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.memberships.revoke': {
    input: (w) => ({ userId: w.carol.userId, markId: w.marks.pro, reason: 'refund' }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.marks.list': { input: (w) => ({ tenantId: w.alice.tenantId }), foreign: ADMIN_SEES_ALL },
  'admin.marks.create': {
    input: () => ({ slug: 'security', name: 'Security', description: 'x', entitlements }),
  },
  // The platform console edits platform marks and plans only: a vendor's are not found there.
  'admin.marks.update': {
    input: (w) => ({ markId: w.marks.pro, name: 'Pro', description: 'Better models' }),
    foreign: (w) => [{ markId: w.alice.markId, name: 'pwned' }],
  },
  'admin.plans.list': {},
  'admin.plans.create': {
    input: (w) => ({ markId: w.marks.pro, slug: 'security-plan', fields: planFields }),
    foreign: (w) => [{ markId: w.alice.markId, fields: planFields }],
  },
  'admin.plans.update': {
    input: (w) => ({ planId: w.proPlanId, fields: { description: 'Monthly' } }),
    foreign: (w) => [{ planId: w.alice.planId, fields: { priceMinor: 0 } }],
  },
  'admin.vendors.list': {},
  'admin.vendors.members': {
    input: (w) => ({ tenantId: w.alice.tenantId }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.vendors.addMember': {
    input: (w) => ({ tenantId: w.root.tenantId, email: w.carol.email, role: 'staff' }),
    foreign: ADMIN_SEES_ALL,
  },
  'admin.vendors.create': {
    input: (w) => ({ slug: 'security-shop', name: 'Security shop', ownerEmail: w.carol.email }),
  },
  // Credit packs and the Stripe event log are the platform's: no tenant owns a row of them.
  'admin.packs.list': {},
  'admin.packs.create': {
    input: () => ({
      fields: { name: 'Small', credits: 1000, priceMinor: 500, currency: 'usd', active: true },
    }),
  },
  'admin.packs.update': {
    input: (w) => ({
      packId: w.packId,
      fields: { priceMinor: 600, stripePriceId: 'price_1Small' },
    }),
    foreign: 'credit packs belong to the platform: there is no one else to own a pack',
  },
  'admin.stripe.events': { input: () => ({ before: 'evt_missing', limit: 10 }) },
  // The money views add up every tenant's payments for the platform admin: nothing is named by id.
  'admin.money.revenue': { input: () => ({ range: '90d' }) },
  'admin.money.subscriptions': {},
  // Redemption codes are the platform's; a code names no row anyone owns (unknown ones are refused
  // as CODE_INVALID, which is the valid input's business answer here). codes.test.ts has more.
  'admin.codes.generate': { input: () => ({ planKey: 'pro-monthly', count: 2, days: 30 }) },
  'admin.codes.batches': {},
  'admin.audit.list': {
    input: (w) => ({
      tenantId: w.root.tenantId,
      action: 'mark.created',
      limit: 10,
      beforeId: 1000,
    }),
    foreign: ADMIN_SEES_ALL,
  },
};

/** vendor.*: root works in their own vendor; bob tries alice's vendor, and alice's rows from his. */
function vendorCases(): Record<string, ProcedureCase> {
  const mine = (w: World) => ({ tenantId: w.root.tenantId });
  const hers = (w: World) => ({ tenantId: w.alice.tenantId });
  const his = (w: World) => ({ tenantId: w.bob.tenantId });
  const assistant = (markId: string) => ({
    fields: { name: 'Bot', systemPrompt: 'Hi', modelId: 'tessera-mini', markId },
  });
  return {
    'vendor.marks.list': { input: mine, foreign: (w) => [hers(w)] },
    'vendor.marks.create': {
      input: (w) => ({
        ...mine(w),
        slug: 'silver',
        name: 'Silver',
        entitlements: vendorEntitlements,
      }),
      foreign: (w) => [
        { ...hers(w), slug: 'silver', name: 'Silver', entitlements: vendorEntitlements },
      ],
    },
    'vendor.marks.update': {
      input: (w) => ({ ...mine(w), markId: w.root.markId, name: 'Gold+' }),
      foreign: (w) => [
        { ...hers(w), markId: w.alice.markId, name: 'pwned' },
        { ...his(w), markId: w.alice.markId, name: 'pwned' },
      ],
    },
    'vendor.plans.list': { input: mine, foreign: (w) => [hers(w)] },
    'vendor.plans.create': {
      input: (w) => ({
        ...mine(w),
        markId: w.root.markId,
        slug: 'security-plan',
        fields: planFields,
      }),
      foreign: (w) => [
        { ...hers(w), markId: w.alice.markId, fields: planFields },
        { ...his(w), markId: w.alice.markId, fields: planFields },
      ],
    },
    'vendor.plans.update': {
      input: (w) => ({ ...mine(w), planId: w.root.planId, fields: { priceMinor: 700 } }),
      foreign: (w) => [
        { ...hers(w), planId: w.alice.planId, fields: { priceMinor: 0 } },
        { ...his(w), planId: w.alice.planId, fields: { priceMinor: 0 } },
        { ...his(w), planId: w.bob.planId, markId: w.alice.markId, fields: {} },
      ],
    },
    'vendor.assistants.list': { input: mine, foreign: (w) => [hers(w)] },
    'vendor.assistants.create': {
      input: (w) => ({ ...mine(w), ...assistant(w.root.markId) }),
      foreign: (w) => [
        { ...hers(w), ...assistant(w.alice.markId) },
        { ...his(w), ...assistant(w.alice.markId) },
      ],
    },
    'vendor.assistants.update': {
      input: (w) => ({ ...mine(w), assistantId: w.root.assistantId, fields: { name: 'Helper 2' } }),
      foreign: (w) => [
        { ...hers(w), assistantId: w.alice.assistantId, fields: { name: 'pwned' } },
        { ...his(w), assistantId: w.alice.assistantId, fields: { name: 'pwned' } },
        { ...his(w), assistantId: w.bob.assistantId, fields: { markId: w.alice.markId } },
      ],
    },
    'vendor.subscribers.list': {
      input: (w) => ({ ...mine(w), activeOnly: true }),
      foreign: (w) => [{ ...hers(w), activeOnly: false }],
    },
    'vendor.staff.list': { input: mine, foreign: (w) => [hers(w)] },
    // Money: bob, owner of vendor B, asks for vendor A's revenue and subscribers.
    'vendor.money.revenue': {
      input: (w) => ({ ...mine(w), range: '30d' }),
      foreign: (w) => [{ ...hers(w), range: '30d' }],
    },
    'vendor.money.subscribers': { input: mine, foreign: (w) => [hers(w)] },
    'vendor.staff.add': {
      input: (w) => ({ ...mine(w), email: w.carol.email, role: 'staff' }),
      foreign: (w) => [{ ...hers(w), email: w.bob.email, role: 'admin' }],
    },
  };
}
