// Plans and credit packs as Stripe sees them: stable handles and the prices they are sold at.
import { parseArgs } from 'node:util';
import { linkPlanPrice, listCatalog, listCreditPacks, updateCreditPack } from '@tessera/api';
import { type Command, formatTable, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

const money = (minor: number, currency: string) =>
  `${(minor / 100).toFixed(2)} ${currency.toUpperCase()}`;

export const planList: Command = {
  usage: 'plan:list [--json]',
  summary: 'Every plan (active or not) with its key, mark, interval, price and Stripe price id.',
  run({ db, args, io }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const plans = listCatalog(db, { includeInactive: true }).map((p) => ({
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

export const planLink: Command = {
  usage: 'plan:link <planKey> <priceId|--unlink> [--json]',
  summary: 'Link a plan to the Stripe price Checkout sells it at (price_…), or remove the link.',
  run({ db, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        unlink: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const [planKey, priceId, ...extra] = positionals;
    if (!planKey || extra.length > 0 || (priceId === undefined) === !values.unlink) {
      throw new UsageError('Give a plan key and either a Stripe price id or --unlink.');
    }
    const plan = linkPlanPrice(db, {
      planKey,
      priceId: priceId ?? null,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(io, values.json, { key: plan.key, stripePriceId: plan.stripePriceId }, () => [
      plan.stripePriceId
        ? `Linked ${plan.key} to ${plan.stripePriceId}`
        : `Unlinked ${plan.key} from Stripe`,
    ]);
  },
};

export const packList: Command = {
  usage: 'pack:list [--json]',
  summary: 'Every credit pack (active or not) with its id, credits, price and Stripe price id.',
  run({ db, args, io }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const packs = listCreditPacks(db, { includeInactive: true }).map((p) => ({
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

export const packLink: Command = {
  usage: 'pack:link <packId> <priceId|--unlink> [--json]',
  summary:
    'Link a credit pack to the Stripe price Checkout sells it at (price_…), or remove the link.',
  run({ db, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        unlink: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const [packId, priceId, ...extra] = positionals;
    if (!packId || extra.length > 0 || (priceId === undefined) === !values.unlink) {
      throw new UsageError('Give a pack id and either a Stripe price id or --unlink.');
    }
    const pack = updateCreditPack(db, {
      packId,
      fields: { stripePriceId: priceId ?? null },
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(io, values.json, { id: pack.id, stripePriceId: pack.stripePriceId }, () => [
      pack.stripePriceId
        ? `Linked pack ${pack.id} to ${pack.stripePriceId}`
        : `Unlinked pack ${pack.id} from Stripe`,
    ]);
  },
};
