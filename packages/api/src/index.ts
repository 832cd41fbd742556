// The package's public surface: what the server, the CLI and tests may import.
export { isTrustedRequestOrigin } from './auth/csrf.ts';
export {
  type CookieJar,
  type CookieOptions,
  parseCookieHeader,
  serializeCookie,
} from './auth/session-cookie.ts';
export { type ApiDeps, type Context, createContext, type RequestMeta } from './context.ts';
export { createUser } from './domain/users/create-user.ts';
export { listUsers } from './domain/users/list-users.ts';
export { DomainError, type DomainErrorCode, domainErrorTable, isDomainError } from './errors.ts';
export { type AppRouter, appRouter } from './routers/_app.ts';
export { createCallerFactory } from './trpc.ts';
