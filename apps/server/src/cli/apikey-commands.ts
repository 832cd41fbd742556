import { parseArgs } from 'node:util';
import { accountByEmail, type Command, printResult, UsageError } from './command.ts';
import { cliActorLabel } from './trust-commands.ts';

export const apikeyCreate: Command = {
  usage: 'apikey:create <email> [--name <name>] [--json]',
  summary: 'Create an API key for /v1 (shown once; the plan must include API access to use it).',
  async run({ stores, args, io, now }) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: { name: { type: 'string' }, json: { type: 'boolean', default: false } },
    });
    const [email, ...extra] = positionals;
    if (!email || extra.length > 0) throw new UsageError('Give exactly one email address.');
    const user = await accountByEmail(stores, email);
    const key = await stores.members.createApiKey({
      userId: user.id,
      name: values.name ?? 'cli',
      actorUserId: null,
      actorLabel: cliActorLabel(),
      now: now(),
    });
    printResult(
      io,
      values.json,
      { id: key.id, name: key.name, key: key.key, email: user.email },
      () => [
        `API key for ${user.email} (${key.name}) — store it now, it is not shown again:`,
        key.key,
      ],
    );
  },
};
