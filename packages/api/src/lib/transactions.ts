/**
 * For transactions that read before they write. A deferred transaction takes the write lock at its
 * first write; if another process committed after its first read, SQLite refuses with
 * SQLITE_BUSY_SNAPSHOT at once (the busy timeout cannot help). BEGIN IMMEDIATE takes the write lock
 * up front, so the busy timeout simply waits for the other writer.
 */
export const IMMEDIATE = { behavior: 'immediate' } as const;
