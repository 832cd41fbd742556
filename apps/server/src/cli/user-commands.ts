import { parseArgs } from 'node:util';
import { createAccount } from '@tessera/api';
import { type Command, formatTable, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

export const userCreate: Command = {
  usage:
    'user:create <email> (--password <pw> | --password-stdin) [--admin] [--name <display name>] [--json]',
  summary: 'Create an account (the first account ever becomes the platform owner).',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        password: { type: 'string' },
        'password-stdin': { type: 'boolean', default: false },
        admin: { type: 'boolean', default: false },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
    });
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
    const password = values['password-stdin']
      ? (await io.readStdin()).replace(/\r?\n$/, '')
      : values.password;
    if (password === undefined) throw new UsageError('Give --password <pw> or --password-stdin.');

    const user = await createAccount(stores, {
      email,
      password,
      displayName: values.name ?? null,
      platformAdmin: values.admin,
      // The operator at the console vouches for the address.
      emailVerified: true,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(io, values.json, { ...user, createdAt: user.createdAt.toISOString() }, () => [
      `Created ${user.email} (${user.id})${user.platformRole ? ` — platform ${user.platformRole}` : ''}`,
    ]);
  },
};

export const userList: Command = {
  usage: 'user:list [--search <text>] [--limit <n>] [--json]',
  summary: 'List accounts with their roles.',
  async run({ stores, args, io }) {
    const { values } = parseArgs({
      args,
      options: {
        search: { type: 'string' },
        limit: { type: 'string', default: '100' },
        json: { type: 'boolean', default: false },
      },
    });
    const limit = Number(values.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) {
      throw new UsageError('--limit must be a whole number from 1 to 10000.');
    }
    const users = await stores.auth.listUsers({ search: values.search, limit });
    printResult(
      io,
      values.json,
      users.map((u) => ({ ...u, createdAt: u.createdAt.toISOString() })),
      () =>
        users.length === 0
          ? ['No users.']
          : formatTable(
              users.map((u) => ({
                id: u.id,
                email: u.email,
                roles: u.roles.map((r) => `${r.tenantSlug}:${r.role}`).join(',') || '-',
                created: u.createdAt.toISOString(),
              })),
            ),
    );
  },
};

export const userResetPassword: Command = {
  usage: 'user:reset-password <email> [--json]',
  summary:
    'Mail the user a password-reset link (30 minutes, single use); without SMTP_URL it is printed.',
  async run({ stores, args, io, now, publicUrl, smtpConfigured }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
    const issued = await stores.account.sendPasswordReset({
      email,
      baseUrl: publicUrl ?? 'http://localhost:3000',
      now: now(),
      actorLabel: cliActorLabel(),
    });
    // The link is a bearer secret: printed only when no mail can carry it (no SMTP_URL).
    const result = {
      email: issued.email,
      mailId: issued.mailId,
      expiresAt: issued.expiresAt.toISOString(),
      smtp: smtpConfigured,
      ...(smtpConfigured ? {} : { link: issued.link }),
    };
    printResult(io, values.json, result, () => [
      smtpConfigured
        ? `Queued a reset mail to ${issued.email} (link valid until ${result.expiresAt}).`
        : `No SMTP_URL: the mail stays in the outbox. Reset link for ${issued.email} (until ${result.expiresAt}):`,
      ...(smtpConfigured ? [] : [issued.link]),
    ]);
  },
};

export const userTwoFactorReset: Command = {
  usage: 'user:2fa-reset <email> [--json]',
  summary:
    'Turn two-factor authentication off for a locked-out user (they sign in with the password alone, then can enrol again).',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
    const reset = await stores.account.resetTwoFactor({
      email,
      now: now(),
      actorLabel: cliActorLabel(),
    });
    printResult(io, values.json, reset, () => [
      reset.wasEnabled
        ? `Two-factor authentication is now off for ${reset.email}.`
        : `${reset.email} had no two-factor authentication; nothing changed.`,
    ]);
  },
};
