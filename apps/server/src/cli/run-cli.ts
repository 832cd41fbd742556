// The admin CLI, as a function so tests can run it in-process as well as in a child process.

import { DomainError, type MemberEventNotice } from '@tessera/api';
import { openStorage, type StorageConfig } from '../storage.ts';
import { apikeyCreate } from './apikey-commands.ts';
import { packLink, packList, planLink, planList } from './billing-commands.ts';
import { codeGenerate, codeRedeem } from './code-commands.ts';
import { type CliIo, type Command, UsageError } from './command.ts';
import { creditsAdd, creditsCheck, creditsList, creditsSet, refillRun } from './credit-commands.ts';
import { userDelete } from './leave-commands.ts';
import { markGrant, markList, markRevoke, vendorCreate } from './mark-commands.ts';
import { signupInvite, signupMode } from './signup-commands.ts';
import { userDisable, userEnable, vendorCeiling } from './trust-commands.ts';
import { userCreate, userList, userResetPassword, userTwoFactorReset } from './user-commands.ts';

export const commands: Record<string, Command> = {
  'user:create': userCreate,
  'user:list': userList,
  'user:reset-password': userResetPassword,
  'user:2fa-reset': userTwoFactorReset,
  'user:disable': userDisable,
  'user:enable': userEnable,
  'signup:mode': signupMode,
  'signup:invite': signupInvite,
  'user:delete': userDelete,
  'mark:grant': markGrant,
  'mark:revoke': markRevoke,
  'mark:list': markList,
  'vendor:create': vendorCreate,
  'vendor:ceiling': vendorCeiling,
  'credits:add': creditsAdd,
  'credits:set': creditsSet,
  'credits:list': creditsList,
  'credits:check': creditsCheck,
  'refill:run': refillRun,
  'apikey:create': apikeyCreate,
  'plan:list': planList,
  'plan:link': planLink,
  'pack:list': packList,
  'pack:link': packLink,
  'code:generate': codeGenerate,
  'code:redeem': codeRedeem,
};

function help(io: CliIo) {
  io.out('Usage: pnpm tessera <command> [options]\n\nCommands:');
  for (const command of Object.values(commands))
    io.out(`  ${command.usage}\n      ${command.summary}`);
  io.out(
    '\nEvery command accepts --json for machine-readable output. DATABASE_URL picks PostgreSQL, else DATABASE_PATH the SQLite file.',
  );
}

/** Runs one command; returns the process exit code (0 ok, 1 refused, 2 usage). */
export async function runCli(
  argv: string[],
  options: Pick<StorageConfig, 'databasePath' | 'databaseUrl'> & {
    io: CliIo;
    now?: () => Date;
    timeZone?: string;
    publicUrl?: string;
    smtpConfigured?: boolean;
    /**
     * After a command that appended member events or bumped the auth epoch: tell the running
     * instances (REDIS_URL set, decision 029). Without it they find the change by polling.
     */
    announce?: (notice: MemberEventNotice) => Promise<void>;
  },
): Promise<number> {
  const { io } = options;
  const [name, ...args] = argv;
  if (!name || name === 'help' || name === '--help' || name === '-h') {
    help(io);
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    io.err(`Unknown command "${name}". Run \`pnpm tessera help\` for the list.`);
    return 2;
  }
  const json = args.includes('--json');
  // The same database the server would open (storage.ts): DATABASE_URL, else the file.
  const storage = await openStorage({
    databasePath: options.databasePath,
    databaseUrl: options.databaseUrl,
  });
  const { stores } = storage;
  try {
    const before = options.announce ? await stores.ops.currentNotice() : undefined;
    await command.run({
      stores,
      args,
      io,
      now: options.now ?? (() => new Date()),
      timeZone: options.timeZone ?? 'UTC',
      publicUrl: options.publicUrl,
      smtpConfigured: options.smtpConfigured ?? false,
    });
    if (options.announce && before) {
      const after = await stores.ops.currentNotice();
      if (after.eventId !== before.eventId || after.authEpoch !== before.authEpoch)
        await options.announce(after);
    }
    return 0;
  } catch (error) {
    if (
      error instanceof UsageError ||
      (error instanceof TypeError &&
        'code' in error &&
        String(error.code).startsWith('ERR_PARSE_ARGS'))
    ) {
      io.err(`${error.message}\nUsage: pnpm tessera ${command.usage}`);
      return 2;
    }
    if (error instanceof DomainError) {
      if (json)
        io.out(
          JSON.stringify({
            error: { code: error.code, message: error.message, details: error.details },
          }),
        );
      else io.err(`${error.code}: ${error.message}`);
      return 1;
    }
    throw error;
  } finally {
    await storage.close();
  }
}
