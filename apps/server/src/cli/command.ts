import { DomainError, type Stores } from '@tessera/api';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readStdin(): Promise<string>;
}

export interface CommandContext {
  /**
   * Every storage port (decision 034): commands reach storage only through these, so each one
   * runs on whichever engine DATABASE_URL / DATABASE_PATH selects.
   */
  stores: Stores;
  args: string[];
  io: CliIo;
  now: () => Date;
  timeZone: string;
  /** PUBLIC_URL, for links in mails; unset = http://localhost:3000. */
  publicUrl?: string;
  /** Whether SMTP_URL is set (mail leaves the machine) or mail only goes to the outbox. */
  smtpConfigured: boolean;
}

export interface Command {
  usage: string;
  summary: string;
  run(ctx: CommandContext): Promise<void> | void;
}

/** The account an admin named by email; NOT_FOUND (exit code 1) when there is none. */
export async function accountByEmail(stores: Stores, email: string) {
  const user = await stores.auth.userByEmail(email);
  if (!user) throw new DomainError('NOT_FOUND', `No account with the email ${email}.`);
  return user;
}

/** A mistake in how the command was called: printed with its usage, exit code 2. */
export class UsageError extends Error {}

/** Prints `value` as JSON when --json was given, else as the human-readable lines. */
export function printResult(io: CliIo, json: boolean, value: unknown, human: () => string[]): void {
  if (json) io.out(JSON.stringify(value));
  else for (const line of human()) io.out(line);
}

export function formatTable(rows: Record<string, string>[]): string[] {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const widths = columns.map((c) => Math.max(c.length, ...rows.map((r) => (r[c] ?? '').length)));
  const line = (cells: string[]) =>
    cells
      .map((cell, i) => cell.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(columns.map((c) => c.toUpperCase())),
    ...rows.map((r) => line(columns.map((c) => r[c] ?? ''))),
  ];
}
