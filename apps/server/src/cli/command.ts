import type { Stores } from '@tessera/api';
import type { Db } from '@tessera/db';

export interface CliIo {
  out(line: string): void;
  err(line: string): void;
  readStdin(): Promise<string>;
}

export interface CommandContext {
  /** The SQLite database; being replaced by `stores` command by command (decision 034). */
  db: Db;
  /** Every storage port (decision 034): commands reach storage through these. */
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
