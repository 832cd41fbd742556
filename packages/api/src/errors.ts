// The one table of domain error codes. Domain code throws `DomainError(code, message)`; the tRPC
// layer maps `trpc` below onto the wire, and the SPA branches on `code` (never on the message).

export const domainErrorTable = {
  /** Input failed validation; `details.fieldErrors` says which fields and why (as codes). */
  VALIDATION: { trpc: 'BAD_REQUEST', http: 400 },
  /** No valid session (missing, expired, revoked). */
  UNAUTHENTICATED: { trpc: 'UNAUTHORIZED', http: 401 },
  /** Email or password wrong; deliberately one answer for both. */
  INVALID_CREDENTIALS: { trpc: 'UNAUTHORIZED', http: 401 },
  /** Too many failed sign-ins for this account or address; `details.retryAfterSeconds`. */
  TOO_MANY_ATTEMPTS: { trpc: 'TOO_MANY_REQUESTS', http: 429 },
  /** The email already has an account. */
  EMAIL_TAKEN: { trpc: 'CONFLICT', http: 409 },
  /** The password breaks the password policy; `details.fieldErrors.password` says how. */
  WEAK_PASSWORD: { trpc: 'BAD_REQUEST', http: 400 },
  /** Signed in, but the role or ownership needed is missing. */
  FORBIDDEN: { trpc: 'FORBIDDEN', http: 403 },
  /** A state-changing request came from a foreign or unknown origin. */
  CSRF_REJECTED: { trpc: 'FORBIDDEN', http: 403 },
  /** The row does not exist, or belongs to someone the caller may not see. */
  NOT_FOUND: { trpc: 'NOT_FOUND', http: 404 },
  /** A paid plan is needed; `details` names the plan or mark that unlocks it. */
  PLAN_REQUIRED: { trpc: 'PAYMENT_REQUIRED', http: 402 },
  /** A conflicting change already happened (duplicate key, concurrent edit). */
  CONFLICT: { trpc: 'CONFLICT', http: 409 },
  /** The procedure needs one of `details.marks`; `details.unlock` lists marks and plans granting it. */
  MARK_REQUIRED: { trpc: 'FORBIDDEN', http: 403 },
  /** A plugin/feature outside the member's entitlements; `details.unlock` says what grants it. */
  FEATURE_NOT_IN_PLAN: { trpc: 'FORBIDDEN', http: 403 },
  /** A model outside the member's entitlements; `details.unlock` says what grants it. */
  MODEL_NOT_IN_PLAN: { trpc: 'FORBIDDEN', http: 403 },
  /** The user already took a trial from this tenant (once per user per tenant, ever). */
  TRIAL_USED: { trpc: 'CONFLICT', http: 409 },
  /** The daily/monthly request quota is used up; `details.resetsAt` says when it comes back. */
  QUOTA_EXCEEDED: { trpc: 'TOO_MANY_REQUESTS', http: 429 },
  /** Too many requests this minute; `details.retryAfterSeconds`. */
  RATE_LIMITED: { trpc: 'TOO_MANY_REQUESTS', http: 429 },
  /** Images were sent to a model that cannot read them; `details.visionModels`: ones that can. */
  MODEL_NOT_VISION_CAPABLE: { trpc: 'BAD_REQUEST', http: 400 },
  /** The model has no price (or is switched off): it can never be used, let alone for free. */
  MODEL_UNAVAILABLE: { trpc: 'PRECONDITION_FAILED', http: 412 },
  /** The account is disabled by an admin: a live answer of it ends with this reason. */
  ACCOUNT_DISABLED: { trpc: 'FORBIDDEN', http: 403 },
  /** Not enough credits for the worst case of this request; top up or upgrade. */
  INSUFFICIENT_CREDITS: { trpc: 'PAYMENT_REQUIRED', http: 402 },
  /** Stripe is not configured here: buying goes through a redemption code or an admin. */
  PAYMENTS_UNAVAILABLE: { trpc: 'PRECONDITION_FAILED', http: 412 },
  /** The plan or pack cannot be bought online; `details.reason`: NO_STRIPE_PRICE, VENDOR_SUSPENDED. */
  NOT_FOR_SALE: { trpc: 'PRECONDITION_FAILED', http: 412 },
  /** The member already has a live Stripe subscription to this plan; manage it in the portal. */
  ALREADY_SUBSCRIBED: { trpc: 'CONFLICT', http: 409 },
  /** Stripe refused or failed a call; `details.stripeCode` when Stripe gave one. */
  PAYMENT_PROVIDER_ERROR: { trpc: 'BAD_GATEWAY', http: 502 },
  /** No redemption code like this exists (or it was mistyped). */
  CODE_INVALID: { trpc: 'NOT_FOUND', http: 404 },
  /** The redemption code was already redeemed by someone else. */
  CODE_USED: { trpc: 'CONFLICT', http: 409 },
  /** The redemption code's batch has expired, or its seller is suspended. */
  CODE_EXPIRED: { trpc: 'CONFLICT', http: 409 },
  /** A password-reset link that is unknown, used or expired; `details.reason` says which. */
  RESET_LINK_INVALID: { trpc: 'BAD_REQUEST', http: 400 },
  /** A second-factor code (TOTP or recovery code) that is wrong, already used or out of time. */
  TWO_FACTOR_CODE_INVALID: { trpc: 'BAD_REQUEST', http: 400 },
  /** The pending sign-in token is unknown, used or expired: sign in with the password again. */
  TWO_FACTOR_CHALLENGE_INVALID: { trpc: 'BAD_REQUEST', http: 400 },
  /** Platform admins must turn on two-factor authentication before using the admin console. */
  TWO_FACTOR_REQUIRED: { trpc: 'FORBIDDEN', http: 403 },
  /** Trials, plan codes and checkout need a verified address; the SPA offers to resend the link. */
  EMAIL_NOT_VERIFIED: { trpc: 'FORBIDDEN', http: 403 },
  /** A verification link that is unknown, used or expired; `details.reason` says which. */
  VERIFY_LINK_INVALID: { trpc: 'BAD_REQUEST', http: 400 },
  /** Sign-up is closed, or invite-only and no valid invite came with it; `details.mode` says which. */
  SIGNUP_CLOSED: { trpc: 'FORBIDDEN', http: 403 },
  /** An invite link that is unknown, used, revoked or expired; `details.reason` says which. */
  INVITE_INVALID: { trpc: 'BAD_REQUEST', http: 400 },
  /** The platform's last owner cannot delete their account: someone must be left to run it. */
  LAST_OWNER: { trpc: 'CONFLICT', http: 409 },
  /** A Stripe subscription still renews: cancel it before deleting the account. */
  SUBSCRIPTION_ACTIVE: { trpc: 'CONFLICT', http: 409 },
} as const;

export type DomainErrorCode = keyof typeof domainErrorTable;

export interface DomainErrorDetails {
  /**
   * Field name → list of message codes (e.g. `PASSWORD_TOO_SHORT`), never prose. A code may name
   * what it is about after a colon (`OVER_CEILING:tessera-ultra,tessera-plus`, `UNKNOWN_MODEL:x`).
   */
  fieldErrors?: Record<string, string[]>;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

export class DomainError extends Error {
  override readonly name = 'DomainError';
  constructor(
    readonly code: DomainErrorCode,
    message: string,
    readonly details: DomainErrorDetails = {},
  ) {
    super(message);
  }
}

export function isDomainError(value: unknown): value is DomainError {
  return value instanceof DomainError;
}
