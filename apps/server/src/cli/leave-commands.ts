// An operator deletes an account on the user's behalf (decision 025): the same erasure as Account →
// Danger zone, without the password, audited as `cli:<os user>`.
import { parseArgs } from 'node:util';
import { type Command, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

export const userDelete: Command = {
  usage: 'user:delete <email> [--json]',
  summary:
    'Delete an account: sessions, keys and conversations go; ledger and audit stay, anonymised.',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { json: { type: 'boolean', default: false } },
    });
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
    const deleted = await stores.account.deleteAccountByEmail({
      email,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(io, values.json, deleted, () => [
      `Deleted the account ${email} (now ${deleted.email}): ${deleted.sessionsEnded} sessions, ${deleted.apiKeysDeleted} API keys, ${deleted.conversationsDeleted} conversations; memberships revoked: ${deleted.membershipsRevoked.join(', ') || 'none'}.`,
    ]);
  },
};
