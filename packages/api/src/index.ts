// The package's public surface: what the server, the CLI and tests may import.
export { isTrustedRequestOrigin } from './auth/csrf.ts';
export {
  isEmailVerified,
  VERIFY_LINK_LIFETIME_MS,
  verifyEmail,
} from './auth/email-verification.ts';
export { createInvite, INVITE_LIFETIME_MS, listInvites } from './auth/invites.ts';
export {
  issuePasswordReset,
  RESET_LINK_LIFETIME_MS,
  sendPasswordReset,
} from './auth/request-password-reset.ts';
export {
  type CookieJar,
  type CookieOptions,
  readCookie,
  readSessionToken,
  serializeCookie,
  writeSessionCookie,
} from './auth/session-cookie.ts';
export { invalidateSessionToken } from './auth/sessions.ts';
export {
  effectiveSignupMode,
  readSignupMode,
  SIGNUP_MODES,
  type SignupMode,
  setSignupMode,
  signupModeSchema,
} from './auth/signup-mode.ts';
export { createSsoProviders, newSsoAttempt, type SsoProviders } from './auth/sso/providers.ts';
export { type SsoSignInResult, signInWithSso } from './auth/sso/sign-in-with-sso.ts';
export {
  SSO_FAILURES,
  SSO_PROVIDER_IDS,
  type SsoAttempt,
  type SsoConfig,
  SsoError,
  type SsoFailure,
  type SsoProfile,
  type SsoProvider,
  type SsoProviderId,
} from './auth/sso/types.ts';
export { resetTwoFactor } from './auth/two-factor/manage.ts';
export {
  DEV_TWO_FACTOR_KEY,
  type TwoFactorSettings,
  twoFactorSettings,
} from './auth/two-factor/secret-box.ts';
export { createStripeClient, STRIPE_API_VERSION } from './billing/stripe-client.ts';
export {
  type AnswerMirror,
  isHeldElsewhere,
  type RemoteAnswers,
  type RemoteStops,
} from './chat/answer-elsewhere.ts';
export { countTextTokens } from './chat/billing-policy.ts';
export { createLiveAnswers, type LiveAnswers } from './chat/live-answers.ts';
export { modelById } from './chat/model-row.ts';
export { createPacedStops, type PacedStops, STOP_SLICE_MS } from './chat/paced-stops.ts';
export { createDemoProvider } from './chat/providers/demo-provider.ts';
export { createOpenAIProvider } from './chat/providers/openai-provider.ts';
export { createProviderRegistry, type ProviderRegistry } from './chat/providers/registry.ts';
export type {
  ContentPart,
  FinishReason,
  ProviderMessage,
  ToolCall,
  UpstreamOptions,
} from './chat/providers/types.ts';
export { requestKey } from './chat/request-key.ts';
export type { ChatEvent } from './chat/run-chat.ts';
export { runChat } from './chat/run-chat.ts';
export { type ApiDeps, type Context, createContext, type RequestMeta } from './context.ts';
export {
  createApiKey,
  listApiKeys,
  revokeApiKey,
  verifyApiKey,
} from './domain/api-keys/api-keys.ts';
export { ensureBillingCustomer } from './domain/billing/ensure-billing-customer.ts';
export {
  IMAGE_LIMITS,
  MAX_IMAGE_DATA_URL_LENGTH,
  uploadImage,
} from './domain/chat/image-attachments.ts';
export { generateCodes } from './domain/codes/generate-codes.ts';
export { listCodeBatches } from './domain/codes/list-code-batches.ts';
export { redeemCode } from './domain/codes/redeem-code.ts';
export { adjustCredits, adjustCreditsThrough } from './domain/credits/adjust-credits.ts';
export { checkCreditInvariants } from './domain/credits/check-invariants.ts';
export { lapseAllowance } from './domain/credits/lapse-allowance.ts';
export { listLedger } from './domain/credits/list-ledger.ts';
export { moveCredits } from './domain/credits/move-credits.ts';
export { previewRefill } from './domain/credits/preview-refill.ts';
export {
  grantPurchasedCredits,
  takeBackPurchasedCredits,
} from './domain/credits/purchased-credits.ts';
export { refillUserOnDemand } from './domain/credits/refill-user.ts';
export { runScheduledRefills } from './domain/credits/run-scheduled-refills.ts';
export { holdLease } from './domain/leases/hold-lease.ts';
export { INSTANCE_ID } from './domain/leases/instance-id.ts';
export { releaseLease } from './domain/leases/release-lease.ts';
export { getMarkByKey } from './domain/marks/get-mark.ts';
export { sweepLapsedMemberships } from './domain/memberships/expire-lapsed.ts';
export { grantMark } from './domain/memberships/grant-mark.ts';
export { listUserMemberships } from './domain/memberships/list-user-memberships.ts';
export { revokeMark } from './domain/memberships/revoke-mark.ts';
export { noticeCreditsLow } from './domain/notifications/notice-credits-low.ts';
export {
  getNotificationSettings,
  updateNotificationSettings,
} from './domain/notifications/preferences.ts';
export {
  ENDING_MEMBERSHIPS_SQL,
  ENDING_WINDOW_MS,
  sweepEndingMemberships,
} from './domain/notifications/sweep-ending-memberships.ts';
export {
  handleStripeEvent,
  isKnownStripeEvent,
  type StripeEventInput,
  subscriptionIdOf,
} from './domain/payments/handle-stripe-event.ts';
export { listCreditPacks } from './domain/payments/list-credit-packs.ts';
export { createCreditPack, updateCreditPack } from './domain/payments/save-credit-pack.ts';
export { readSubscription } from './domain/payments/stripe-objects.ts';
export { linkPlanPrice } from './domain/plans/link-plan-price.ts';
export { listCatalog } from './domain/plans/list-catalog.ts';
export { seedDemoData } from './domain/seed/seed-demo.ts';
export { type Ceiling, ceilingSchema } from './domain/tenancy/ceiling.ts';
export { createVendor } from './domain/tenancy/create-vendor.ts';
export { getVendorBySlug } from './domain/tenancy/get-vendor.ts';
export {
  getVendorCeiling,
  setVendorCeiling,
  setVendorOwner,
  setVendorSuspended,
} from './domain/tenancy/vendor-trust.ts';
export { admitRequest } from './domain/usage/admit-request.ts';
export { getRequestWindow, type RequestWindow } from './domain/usage/get-request-window.ts';
export {
  releaseStaleReservations,
  STALE_RESERVATION_MS,
} from './domain/usage/release-stale-reservations.ts';
export { renewReservationLeases } from './domain/usage/renew-reservation-leases.ts';
export {
  DEFAULT_RESERVATION_LEASE_MS,
  type ReservationLease,
  THIS_INSTANCE_LEASE,
} from './domain/usage/reservation-lease.ts';
export { releaseRequest, settleRequest } from './domain/usage/settle-request.ts';
export { createAccount, createUser } from './domain/users/create-user.ts';
export {
  deleteAccountByEmail,
  deletedEmail,
  deleteOwnAccount,
} from './domain/users/delete-account.ts';
export { exportUserData } from './domain/users/export-user-data.ts';
export { getUser, getUserByEmail } from './domain/users/get-user.ts';
export { listUsers } from './domain/users/list-users.ts';
export { setUserDisabled } from './domain/users/set-user-disabled.ts';
export { DomainError, type DomainErrorCode, domainErrorTable, isDomainError } from './errors.ts';
export {
  createSqliteMemberEventBus,
  currentNotice,
  type MemberEventBus,
  type MemberEventBusOptions,
  type MemberEventNotice,
  type MemberEventTransport,
} from './events/member-event-bus.ts';
export { screenInput } from './lib/screen-input.ts';
export {
  DEFAULT_DELIVERY_POLICY,
  type DeliveryPolicy,
  deliverDueMail,
  type MailQueue,
  type MailTransport,
  type OutgoingMail,
} from './mail/deliver-mail.ts';
export { enqueueMail } from './mail/enqueue-mail.ts';
export { type MailLocale, mailLocale, renderMail } from './mail/templates.ts';
export { memberForApiKey } from './member/api-key-members.ts';
export { checkRequirement } from './member/check-requirement.ts';
export { forgetMemberContextsBefore } from './member/forget-before-epoch.ts';
export { buildMemberContext, type MemberContext } from './member/member-context.ts';
export { type AppRouter, appRouter } from './routers/_app.ts';
export type {
  MoneyStore,
  OnDemandRefillInput,
  ReleaseInput,
  RenewLeasesInput,
  SettleInput,
  StaleReservationsInput,
} from './storage/money-store.ts';
export type { OpsStore } from './storage/ops-store.ts';
export { createPgMoneyStore, type PgMoneyStoreOptions } from './storage/pg/pg-money-store.ts';
export type { PgQueryable } from './storage/pg/pg-query.ts';
export { createSqliteMoneyStore, sqliteMoneyStoreOf } from './storage/sqlite-money-store.ts';
export { createSqliteStores, type Engine, type Stores, sqliteStoresOf } from './storage/stores.ts';
export {
  authedProcedure,
  createCallerFactory,
  memberProcedure,
  publicProcedure,
  router,
} from './trpc.ts';
