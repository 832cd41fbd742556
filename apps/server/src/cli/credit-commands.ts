import { parseArgs } from 'node:util';
import { adjustCreditsThrough } from '@tessera/api';
import {
  accountByEmail,
  type Command,
  type CommandContext,
  formatTable,
  printResult,
  UsageError,
} from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

function adjust(mode: 'add' | 'set'): Command['run'] {
  return async ({ stores, args, io, now }: CommandContext) => {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        reason: { type: 'string' },
        key: { type: 'string' },
        purchased: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const [email, amountText, ...extra] = positionals;
    if (!email || amountText === undefined || extra.length > 0)
      throw new UsageError('Give an email and an amount.');
    const amount = Number(amountText);
    if (!Number.isSafeInteger(amount))
      throw new UsageError('The amount must be a whole number of credits.');
    const user = await accountByEmail(stores, email);
    const result = await adjustCreditsThrough((move) => stores.money.moveCredits(move), {
      userId: user.id,
      mode,
      amount,
      pot: values.purchased ? 'purchased' : 'allowance',
      reason: values.reason ?? `cli ${mode}`,
      idempotencyKey: values.key,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(io, values.json, { email: user.email, ...result }, () => [
      result.applied
        ? `${user.email}: ${result.delta >= 0 ? '+' : ''}${result.delta} ${result.pot} → balance ${result.balance}`
        : `Already applied (${result.key}).`,
    ]);
  };
}

export const creditsAdd: Command = {
  usage:
    'credits:add <email> <amount> [--purchased] [--reason <text>] [--key <idempotency key>] [--json]',
  summary:
    'Add plan-allowance credits, or purchased ones with --purchased (a negative amount deducts; no pot below zero, never below what running requests hold).',
  run: adjust('add'),
};

export const creditsSet: Command = {
  usage:
    'credits:set <email> <amount> [--purchased] [--reason <text>] [--key <idempotency key>] [--json]',
  summary:
    'Set the plan allowance (or purchased credits, --purchased) to an amount (recorded in the ledger as the difference).',
  run: adjust('set'),
};

export const creditsList: Command = {
  usage: 'credits:list [<email>] [--limit N] [--json]',
  summary: "Balances of all accounts, or one user's ledger (newest first).",
  async run({ stores, args, io }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        limit: { type: 'string', default: '50' },
        json: { type: 'boolean', default: false },
      },
    });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000)
      throw new UsageError('--limit must be 1–10000.');
    const [email] = positionals;
    if (email) {
      const user = await accountByEmail(stores, email);
      const { entries } = await stores.payments.listLedger({ userId: user.id, limit });
      printResult(
        io,
        values.json,
        entries.map((e) => ({ ...e, createdAt: e.createdAt.toISOString() })),
        () =>
          entries.length === 0
            ? ['No ledger entries.']
            : formatTable(
                entries.map((e) => ({
                  when: e.createdAt.toISOString(),
                  kind: e.kind,
                  pot: e.pot,
                  delta: String(e.delta),
                  balance: String(e.balanceAfter),
                  reference: e.reference ?? '',
                })),
              ),
      );
      return;
    }
    const rows = await stores.payments.listCreditBalances({ limit });
    printResult(
      io,
      values.json,
      rows.map((r) => ({
        ...r,
        allowance: r.balance - r.purchased,
        available: r.balance - r.reserved,
      })),
      () =>
        formatTable(
          rows.map((r) => ({
            email: r.email,
            balance: String(r.balance),
            allowance: String(r.balance - r.purchased),
            purchased: String(r.purchased),
            reserved: String(r.reserved),
            available: String(r.balance - r.reserved),
          })),
        ),
    );
  },
};

export const creditsCheck: Command = {
  usage: 'credits:check [--json]',
  summary:
    'Verify the credit invariants, for the balance and each pot (allowance, purchased); exits 1 when any is broken.',
  async run({ stores, args, io }) {
    const { values } = parseArgs({ args, options: { json: { type: 'boolean', default: false } } });
    const report = await stores.money.checkInvariants();
    printResult(io, values.json, report, () =>
      report.ok
        ? [
            `OK: ${report.accounts} accounts, ${report.ledgerRows} ledger rows — balance = Σ ledger, available ≥ 0, each reservation settled once.`,
          ]
        : report.problems.map(
            (p) => `BROKEN ${p.check}${p.userId ? ` (${p.userId})` : ''}: ${p.detail}`,
          ),
    );
    if (!report.ok) process.exitCode = 1;
  },
};

export const refillRun: Command = {
  usage: 'refill:run [--include-on-demand] [--json]',
  summary: 'Run the scheduled refill now (batches of 500; never grants twice for a period).',
  async run({ stores, args, io, now, timeZone }) {
    const { values } = parseArgs({
      args,
      options: {
        'include-on-demand': { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
      },
    });
    const result = await stores.money.runScheduledRefills({
      trigger: 'cli',
      actorLabel: cliActorLabel(),
      now: now(),
      timeZone,
      includeOnDemand: values['include-on-demand'],
    });
    printResult(io, values.json, result, () => [
      `Run ${result.runId}: scanned ${result.usersScanned} users, refilled ${result.usersRefilled}, granted ${result.creditsGranted} credits${result.error ? ` — ERROR ${result.error}` : ''}`,
    ]);
    if (result.error) process.exitCode = 1;
  },
};
