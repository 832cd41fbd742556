// Constraint failures from better-sqlite3, for turning into field errors instead of 500s.

function hasCode(error: unknown, ...codes: string[]): boolean {
  return error instanceof Error && 'code' in error && codes.includes(String(error.code));
}

/** A UNIQUE (or PRIMARY KEY) constraint refused the write: the key is taken. */
export function isUniqueViolation(error: unknown): boolean {
  return hasCode(error, 'SQLITE_CONSTRAINT_UNIQUE', 'SQLITE_CONSTRAINT_PRIMARYKEY');
}

/** A FOREIGN KEY constraint refused the write: the referenced row does not exist (here). */
export function isForeignKeyViolation(error: unknown): boolean {
  return hasCode(error, 'SQLITE_CONSTRAINT_FOREIGNKEY');
}
