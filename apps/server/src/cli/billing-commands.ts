// Plans and credit packs as Stripe sees them: stable handles and the prices they are sold at.
import { parseArgs } from 'node:util';
import type { Stores } from '@tessera/api';
import { type Command, formatTable, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

/** A minor-unit amount in its currency's own decimals (JPY has none, USD two). */
function money(minor: number, currency: string): string {
  const digits =
    new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits ?? 2;
  return `${(minor / 10 ** digits).toFixed(digits)} ${currency.toUpperCase()}`;
}

export const planList: Command = {
  usage: 'plan:list [--json]',
  summary: 'Every plan (active or not) with its key, mark, interval, price and Stripe price id.',
  async run({ stores, args, io }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const plans = (await stores.catalog.listCatalog({ includeInactive: true })).map((p) => ({
      key: p.key,
      name: p.name,
      mark: p.markKey,
      interval: p.interval,
      priceMinor: p.priceMinor,
      currency: p.currency,
      stripePriceId: p.stripePriceId,
      active: p.active,
    }));
    printResult(io, values.json, plans, () =>
      plans.length === 0
        ? ['No plans yet (the admin console creates them; a new database seeds the demo ones).']
        : formatTable(
            plans.map((p) => ({
              key: p.key,
              mark: p.mark,
              interval: p.interval,
              price: money(p.priceMinor, p.currency),
              stripe: p.stripePriceId ?? '—',
              active: p.active ? 'yes' : 'no',
            })),
          ),
    );
  },
};

/**
 * `<noun>:link <handle> <priceId|--unlink>`: one shape for plans and packs. `link` writes the link
 * (validated and audited by the domain) and returns what to print.
 */
function linkCommand(options: {
  noun: string;
  /** The handle's name in the usage line, and in words for the error. */
  handle: string;
  what: string;
  summary: string;
  link(
    stores: Stores,
    handle: string,
    priceId: string | null,
    actor: { actorUserId: null; actorLabel: string; now: Date },
  ): Promise<{ handle: string; stripePriceId: string | null; json: Record<string, unknown> }>;
}): Command {
  return {
    usage: `${options.noun}:link <${options.handle}> <priceId|--unlink> [--json]`,
    summary: options.summary,
    async run({ stores, args, io, now }) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: {
          unlink: { type: 'boolean', default: false },
          json: { type: 'boolean', default: false },
        },
      });
      const [handle, priceId, ...extra] = positionals;
      if (!handle || extra.length > 0 || (priceId === undefined) === !values.unlink) {
        throw new UsageError(`Give ${options.what} and either a Stripe price id or --unlink.`);
      }
      const linked = await options.link(stores, handle, priceId ?? null, {
        actorUserId: null,
        actorLabel: cliActorLabel(),
        now: now(),
      });
      printResult(io, values.json, linked.json, () => [
        linked.stripePriceId
          ? `Linked ${options.noun} ${linked.handle} to ${linked.stripePriceId}`
          : `Unlinked ${options.noun} ${linked.handle} from Stripe`,
      ]);
    },
  };
}

export const planLink = linkCommand({
  noun: 'plan',
  handle: 'planKey',
  what: 'a plan key',
  summary: 'Link a plan to the Stripe price Checkout sells it at (price_…), or remove the link.',
  async link(stores, planKey, priceId, actor) {
    const plan = await stores.payments.linkPlanPrice({ planKey, priceId, ...actor });
    const json = { key: plan.key, stripePriceId: plan.stripePriceId };
    return { handle: plan.key, stripePriceId: plan.stripePriceId, json };
  },
});

export const packList: Command = {
  usage: 'pack:list [--json]',
  summary: 'Every credit pack (active or not) with its id, credits, price and Stripe price id.',
  async run({ stores, args, io }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const packs = (await stores.payments.listCreditPacks({ includeInactive: true })).map((p) => ({
      id: p.id,
      name: p.name,
      credits: p.credits,
      priceMinor: p.priceMinor,
      currency: p.currency,
      stripePriceId: p.stripePriceId,
      active: p.active,
    }));
    printResult(io, values.json, packs, () =>
      packs.length === 0
        ? ['No credit packs yet (the platform admin creates them: admin.packs.create).']
        : formatTable(
            packs.map((p) => ({
              id: p.id,
              name: p.name,
              credits: String(p.credits),
              price: money(p.priceMinor, p.currency),
              stripe: p.stripePriceId ?? '—',
              active: p.active ? 'yes' : 'no',
            })),
          ),
    );
  },
};

export const packLink = linkCommand({
  noun: 'pack',
  handle: 'packId',
  what: 'a pack id',
  summary:
    'Link a credit pack to the Stripe price Checkout sells it at (price_…), or remove the link.',
  async link(stores, packId, priceId, actor) {
    const pack = await stores.payments.updateCreditPack({
      packId,
      fields: { stripePriceId: priceId },
      ...actor,
    });
    const json = { id: pack.id, stripePriceId: pack.stripePriceId };
    return { handle: pack.id, stripePriceId: pack.stripePriceId, json };
  },
});
