// The PostgreSQL mirror of ../../schema: the same tables, columns, keys, indexes and checks in
// drizzle's pg-core dialect (docs/decisions/027). Row types are the SQLite ones (see columns.ts),
// so they are not exported again here; enums and constants stay in ../../schema.
export * from './audit.ts';
export * from './auth.ts';
export * from './billing.ts';
export * from './chat.ts';
export * from './credits.ts';
export * from './mail.ts';
export * from './membership.ts';
export * from './notifications.ts';
export * from './redemption.ts';
export * from './signup.ts';
export * from './tenancy.ts';
export * from './two-factor.ts';
export * from './usage.ts';
