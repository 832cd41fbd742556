// `@tessera/db/pg`: the PostgreSQL schema, client and migrator. Separate from `@tessera/db` so
// nothing that runs on SQLite loads node-postgres.
export * from './client.ts';
export * from './schema/index.ts';
