// What only the platform decides: a vendor's ceiling, and whether an account may be used at all.
import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import { accountByEmail, type Command, printResult, UsageError } from './command.ts';

/** How the audit log names an action taken from this CLI: the tool and the OS user behind it. */
export function cliActorLabel(): string {
  try {
    return `cli:${userInfo().username}`;
  } catch {
    return 'cli';
  }
}

export const vendorCeiling: Command = {
  usage: "vendor:ceiling <vendor> [--set '<json>'] [--json]",
  summary:
    "Print a vendor's ceiling (what the platform delegates to it), or replace it with --set (the admin form's JSON).",
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { set: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError('Give exactly one vendor slug.');
    const vendor = await stores.catalog.getVendorBySlug(slug);
    let ceiling = await stores.catalog.getVendorCeiling(vendor.id);
    if (values.set !== undefined) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(values.set);
      } catch {
        throw new UsageError(
          '--set takes a JSON object, e.g. --set \'{"models":["tessera-mini"]}\'.',
        );
      }
      if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
        throw new UsageError('--set takes a JSON object.');
      }
      ceiling = await stores.catalog.setVendorCeiling({
        tenantId: vendor.id,
        ceiling: parsed,
        actorUserId: null,
        actorLabel: cliActorLabel(),
        now: now(),
      });
    }
    printResult(io, values.json, { vendor: vendor.slug, ceiling }, () => [
      `${values.set === undefined ? 'Ceiling of' : 'New ceiling of'} ${vendor.slug}:`,
      JSON.stringify(ceiling, null, 2),
    ]);
  },
};

function accountSwitch(disabled: boolean): Command {
  return {
    usage: disabled
      ? 'user:disable <email> --reason <text> [--json]'
      : 'user:enable <email> [--json]',
    summary: disabled
      ? 'Disable an account: its sessions end, API keys stop and live answers are cut at once.'
      : 'Let a disabled account sign in again (its API keys work again; sessions do not return).',
    async run({ stores, args, io, now }) {
      const { values, positionals } = parseArgs({
        args,
        allowPositionals: true,
        options: { reason: { type: 'string' }, json: { type: 'boolean', default: false } },
      });
      const [email, ...extra] = positionals;
      if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
      if (disabled && !values.reason?.trim()) throw new UsageError('Give --reason <text>.');
      const user = await accountByEmail(stores, email);
      const result = await stores.auth.setUserDisabled({
        userId: user.id,
        disabled,
        reason: values.reason?.trim(),
        actorUserId: null,
        actorLabel: cliActorLabel(),
        now: now(),
      });
      printResult(
        io,
        values.json,
        { ...result, disabledAt: result.disabledAt?.toISOString() ?? null },
        () => [
          disabled
            ? `Disabled ${result.email} (${result.sessionsEnded} sessions ended)`
            : `Enabled ${result.email}`,
        ],
      );
    },
  };
}

export const userDisable = accountSwitch(true);
export const userEnable = accountSwitch(false);
