// The ledger is clustered by user (primary key (user_id, id), WITHOUT ROWID): each user's rows are
// numbered 1, 2, 3… in the order they were written. Every insert takes its id in the statement
// that inserts the row, inside a write transaction, so two rows of a user can never get the same
// id (and the primary key would refuse it if they did).

/** SQL for the next ledger id of the user `userSql` names (a column or a parameter). */
export function nextLedgerIdSql(userSql: string): string {
  return `(select coalesce(max(l.id), 0) + 1 from credit_ledger l where l.user_id = ${userSql})`;
}
