export * from './audit.ts';
export * from './auth.ts';
export * from './billing.ts';
export * from './chat.ts';
export * from './credits.ts';
export * from './membership.ts';
export * from './tenancy.ts';
export * from './usage.ts';
