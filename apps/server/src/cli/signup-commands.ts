// Sign-up controls from the shell (decision 022): the mode, and invites for invite-only sign-up.
import { parseArgs } from 'node:util';
import { SIGNUP_MODES, signupModeSchema } from '@tessera/api';
import { type Command, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

export const signupMode: Command = {
  usage: 'signup:mode [open|invite|closed] [--json]',
  summary:
    'Show or set who may sign up: anyone, invited addresses only, or nobody (the first account always can).',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [wanted, ...extra] = positionals;
    if (extra.length > 0) throw new UsageError(`Give at most one of ${SIGNUP_MODES.join(', ')}.`);
    if (wanted === undefined) {
      const mode = await stores.account.readSignupMode();
      const effective = await stores.account.effectiveSignupMode();
      printResult(io, values.json, { mode, effective }, () => [
        `Sign-up mode: ${mode}${effective !== mode ? ' (no account yet: the first sign-up is open)' : ''}`,
      ]);
      return;
    }
    const parsed = signupModeSchema.safeParse(wanted);
    if (!parsed.success) {
      throw new UsageError(`Unknown mode "${wanted}": use ${SIGNUP_MODES.join(', ')}.`);
    }
    const result = await stores.account.setSignupMode({
      mode: parsed.data,
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(io, values.json, result, () => [
      `Sign-up mode: ${result.mode} (was ${result.previous}).`,
    ]);
  },
};

export const signupInvite: Command = {
  usage: 'signup:invite <email> [--json]',
  summary: 'Mail a single-use sign-up link (7 days); without SMTP_URL it is printed.',
  async run({ stores, args, io, now, publicUrl, smtpConfigured }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
    const invite = await stores.account.createInvite({
      email,
      baseUrl: publicUrl ?? 'http://localhost:3000',
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    // The link is a bearer secret: printed only when no mail can carry it (no SMTP_URL).
    const result = {
      id: invite.id,
      email: invite.email,
      expiresAt: invite.expiresAt.toISOString(),
      smtp: smtpConfigured,
      ...(smtpConfigured ? {} : { link: invite.link }),
    };
    printResult(io, values.json, result, () => [
      smtpConfigured
        ? `Queued an invite to ${invite.email} (link valid until ${result.expiresAt}).`
        : `No SMTP_URL: the mail stays in the outbox. Invite link for ${invite.email} (until ${result.expiresAt}):`,
      ...(smtpConfigured ? [] : [invite.link]),
    ]);
  },
};
