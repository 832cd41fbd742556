// Redemption codes from the command line: generate a batch, redeem a code for someone.
import { parseArgs } from 'node:util';
import { accountByEmail, type Command, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

function wholeNumber(flag: string, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < 1) {
    throw new UsageError(`--${flag} must be a whole number of at least 1.`);
  }
  return value;
}

export const codeGenerate: Command = {
  usage:
    'code:generate <planKey|--credits N> --count N [--days N] [--note <text>] [--expires <ISO date>] [--json]',
  summary:
    "Generate redemption codes for a plan (its mark for --days, by default the plan's term) or for purchased credits. The codes are shown only now.",
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        credits: { type: 'string' },
        count: { type: 'string' },
        days: { type: 'string' },
        note: { type: 'string' },
        expires: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [planKey, ...extra] = positionals;
    if (extra.length > 0 || (planKey === undefined) === (values.credits === undefined)) {
      throw new UsageError('Give either a plan key or --credits N.');
    }
    const count = wholeNumber('count', values.count);
    if (count === undefined) throw new UsageError('Give --count N.');
    let expiresAt: Date | undefined;
    if (values.expires !== undefined) {
      expiresAt = new Date(values.expires);
      if (Number.isNaN(expiresAt.getTime())) {
        throw new UsageError('--expires takes a date, e.g. 2027-01-31 or 2027-01-31T12:00:00Z.');
      }
    }
    const result = await stores.payments.generateCodes({
      ...(planKey !== undefined
        ? { planKey }
        : { credits: wholeNumber('credits', values.credits) }),
      count,
      days: wholeNumber('days', values.days),
      note: values.note,
      expiresAt,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    const { batch } = result;
    printResult(
      io,
      values.json,
      {
        batchId: batch.id,
        planKey: batch.planKey,
        days: batch.days,
        credits: batch.credits,
        count: batch.count,
        note: batch.note,
        expiresAt: batch.expiresAt?.toISOString() ?? null,
        codes: result.codes,
      },
      () => [
        `Batch ${batch.id}: ${batch.count} codes for ${
          batch.planKey ? `${batch.planKey} (${batch.days} days)` : `${batch.credits} credits`
        }${batch.expiresAt ? `, valid until ${batch.expiresAt.toISOString()}` : ''}. Shown only now:`,
        ...result.codes,
      ],
    );
  },
};

export const codeRedeem: Command = {
  usage: 'code:redeem <email> <code> [--json]',
  summary: 'Redeem a code for an account (once per code; the same account again changes nothing).',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [email, code, ...extra] = positionals;
    if (!email || !code || extra.length > 0) throw new UsageError('Give an email and a code.');
    const user = await accountByEmail(stores, email);
    const result = await stores.payments.redeemCode({
      userId: user.id,
      code,
      ip: null,
      throttle: false,
      requireVerifiedEmail: false,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    const { grant } = result;
    printResult(
      io,
      values.json,
      {
        email: user.email,
        alreadyRedeemed: result.alreadyRedeemed,
        redeemedAt: result.redeemedAt.toISOString(),
        grant:
          grant.kind === 'plan'
            ? { ...grant, expiresAt: grant.expiresAt?.toISOString() ?? null }
            : grant,
      },
      () => [
        `${result.alreadyRedeemed ? 'Already redeemed by' : 'Redeemed for'} ${user.email}: ${
          grant.kind === 'plan'
            ? `${grant.markKey} for ${grant.days} days (plan ${grant.planKey}), now until ${grant.expiresAt?.toISOString() ?? 'no end'}`
            : `${grant.credits} credits`
        }`,
      ],
    );
  },
};
