import { parseArgs } from 'node:util';
import { accountByEmail, type Command, formatTable, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

function oneEmailAndKey(positionals: string[], what: string): [string, string] {
  const [email, key, ...extra] = positionals;
  if (!email || !key || extra.length > 0) throw new UsageError(`Give an email and ${what}.`);
  return [email, key];
}

export const markGrant: Command = {
  usage: 'mark:grant <email> <markKey> [--days N] [--reason <text>] [--json]',
  summary: 'Grant a mark (or extend it from its current end); without --days it never ends.',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        days: { type: 'string' },
        reason: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [email, key] = oneEmailAndKey(positionals, 'a mark key');
    const days = values.days === undefined ? null : Number(values.days);
    if (days !== null && (!Number.isInteger(days) || days < 1 || days > 36_500)) {
      throw new UsageError('--days must be a whole number from 1 to 36500.');
    }
    const user = await accountByEmail(stores, email);
    const mark = await stores.catalog.getMarkByKey(key);
    const result = await stores.members.grantMark({
      userId: user.id,
      markId: mark.id,
      days,
      source: 'admin',
      reference: 'cli',
      reason: values.reason ?? null,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    const expiresAt = result.membership.expiresAt?.toISOString() ?? null;
    printResult(
      io,
      values.json,
      { email: user.email, markKey: mark.key, event: result.event, expiresAt },
      () => [
        `${result.event === 'membership.granted' ? 'Granted' : 'Extended'} ${mark.key} to ${user.email} — ${expiresAt ? `until ${expiresAt}` : 'no end'}`,
      ],
    );
  },
};

export const markRevoke: Command = {
  usage: 'mark:revoke <email> <markKey> [--reason <text>] [--json]',
  summary: 'End a mark now; live streams relying on it are cut off.',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { reason: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [email, key] = oneEmailAndKey(positionals, 'a mark key');
    const user = await accountByEmail(stores, email);
    const mark = await stores.catalog.getMarkByKey(key);
    const result = await stores.members.revokeMark({
      userId: user.id,
      markId: mark.id,
      reason: values.reason ?? null,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(
      io,
      values.json,
      {
        email: user.email,
        markKey: mark.key,
        revokedAt: result.membership.expiresAt?.toISOString(),
      },
      () => [`Revoked ${mark.key} from ${user.email}`],
    );
  },
};

export const markList: Command = {
  usage: 'mark:list <email> [--json]',
  summary: "List a user's marks: live ones first, then expired and revoked.",
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
    const user = await accountByEmail(stores, email);
    const rows = (await stores.members.listUserMemberships({ userId: user.id, now: now() })).sort(
      (a, b) => Number(b.activeNow) - Number(a.activeNow),
    );
    printResult(
      io,
      values.json,
      rows.map((m) => ({
        markKey: m.markKey,
        status: m.status,
        activeNow: m.activeNow,
        source: m.source,
        startsAt: m.startsAt.toISOString(),
        expiresAt: m.expiresAt?.toISOString() ?? null,
      })),
      () =>
        formatTable(
          rows.map((m) => ({
            mark: m.markKey,
            access: m.activeNow ? 'yes' : 'no',
            status: m.status,
            source: m.source,
            expires: m.expiresAt?.toISOString() ?? 'never',
          })),
        ),
    );
  },
};

export const vendorCreate: Command = {
  usage: 'vendor:create <slug> --owner <email> [--name <name>] [--json]',
  summary: 'Create a vendor tenant owned by an existing account.',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        owner: { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [slug, ...extra] = positionals;
    if (!slug || extra.length > 0) throw new UsageError('Give exactly one vendor slug.');
    if (!values.owner) throw new UsageError('Give --owner <email>.');
    const tenant = await stores.catalog.createVendor({
      slug,
      name: values.name ?? slug,
      ownerEmail: values.owner,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(
      io,
      values.json,
      { id: tenant.id, slug: tenant.slug, name: tenant.name, owner: values.owner },
      () => [`Created vendor ${tenant.slug} (${tenant.id}) owned by ${values.owner}`],
    );
  },
};
