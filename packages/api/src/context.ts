import type { Db } from '@tessera/db';
import type Stripe from 'stripe';
import type { CookieJar } from './auth/session-cookie.ts';
import { readSessionToken } from './auth/session-cookie.ts';
import type { SsoProviders } from './auth/sso/providers.ts';
import { type TwoFactorSettings, twoFactorSettings } from './auth/two-factor/secret-box.ts';
import type { RemoteAnswers, RemoteStops } from './chat/answer-elsewhere.ts';
import type { LiveAnswers } from './chat/live-answers.ts';
import type { PacedStops } from './chat/paced-stops.ts';
import type { ProviderRegistry } from './chat/providers/registry.ts';
import type { ReservationLease } from './domain/usage/reservation-lease.ts';
import type { MemberEventBus } from './events/member-event-bus.ts';
import type { MemberAuth } from './storage/members-store.ts';
import { type Stores, sqliteStoresOf } from './storage/stores.ts';

/** Process-wide settings and services the API needs; built once by the server (or a test). */
export interface ApiDeps {
  /**
   * The SQLite database. Being replaced by `stores` area by area (decision 034): new code reaches
   * storage through `ctx.stores`, never through `db`.
   */
  db: Db;
  /** Every storage port (decision 034); default: the SQLite stores of `db`. */
  stores?: Stores;
  /** Secure + `__Host-` session cookies; on whenever the site is served over HTTPS. */
  secureCookies: boolean;
  /** Put stack traces and internal messages into error responses (development only). */
  exposeErrorDetails: boolean;
  /** The clock; tests move it. */
  now: () => Date;
  /** Member events from every process (live streams, the SPA's live updates). */
  events?: MemberEventBus;
  /** IANA zone that calendar windows (daily/monthly quotas, refills) follow. */
  timeZone: string;
  /** Model backends; without it, chat is unavailable. */
  providers?: ProviderRegistry;
  /** Answers in flight, so a dropped connection can resume; without it a drop stops the answer. */
  liveAnswers?: LiveAnswers;
  /** The process's paced stop queue (chat/paced-stops.ts): /v1 answers whose client left. */
  pacedStops?: PacedStops;
  /** Answers other instances produce (REDIS_URL), so a reconnect landing here resumes them. */
  remoteAnswers?: RemoteAnswers;
  /** Stop for answers other instances produce (REDIS_URL), so Stop works wherever it lands. */
  remoteStops?: RemoteStops;
  /** Stripe (createStripeClient), when STRIPE_SECRET_KEY is set; without it nothing is sold online. */
  stripe?: Stripe;
  /** PUBLIC_URL's origin: where Stripe sends buyers back. Unset = the request's own checked origin. */
  publicOrigin?: string;
  /** TOTP sealing key, issuer and the admin rule (decision 024); unset = development defaults. */
  twoFactor?: TwoFactorSettings;
  /** Identity providers enabled by the environment (OIDC_*, GITHUB_*); none when unset. */
  sso?: SsoProviders;
  /** Chat (SPA and /v1) needs a verified address, like trials (REQUIRE_VERIFIED_EMAIL_TO_CHAT). */
  requireVerifiedEmailToChat?: boolean;
  /** Holder and length of credit reservation leases (decision 030); default this instance, 30 s. */
  reservationLease?: ReservationLease;
}

export interface RequestMeta {
  ip: string | null;
  userAgent: string | null;
  /**
   * The request's Origin header. On a mutation it has passed the origin check (this site or a
   * trusted origin), so it is safe to send a browser back to.
   */
  origin?: string | null;
}

export interface Context extends Omit<ApiDeps, 'twoFactor' | 'stores'> {
  twoFactor: TwoFactorSettings;
  stores: Stores;
  cookies: CookieJar;
  request: RequestMeta;
  /**
   * The signed-in session (and its member context), resolved at most once per request: every call
   * answers the same promise (decision 037).
   */
  auth(): Promise<MemberAuth | null>;
}

let developmentTwoFactor: TwoFactorSettings | undefined;
/** One settled promise for every request without a session cookie. */
const NOT_SIGNED_IN: Promise<null> = Promise.resolve(null);

export function createContext(deps: ApiDeps, cookies: CookieJar, request: RequestMeta): Context {
  let resolved: ReturnType<Context['auth']> | undefined;
  developmentTwoFactor ??= twoFactorSettings();
  const stores = deps.stores ?? sqliteStoresOf(deps.db);
  return {
    ...deps,
    twoFactor: deps.twoFactor ?? developmentTwoFactor,
    stores,
    cookies,
    request,
    auth() {
      if (resolved === undefined) {
        const token = readSessionToken(cookies, deps.secureCookies);
        resolved = token ? stores.members.authenticate(token, deps.now()) : NOT_SIGNED_IN;
      }
      return resolved;
    },
  };
}
