// The chat engine's public surface: what a caller passes in (ChatDeps, ChatInput) and the typed
// events it gets back (ChatEvent). Kept apart from the phases so each phase file can import them
// without importing the engine itself. Add fields here only as optional ones: the tRPC
// subscription and /v1 both build ChatInput, and both switch over ChatEvent.
import type { Db } from '@tessera/db';
import type { ReservationLease } from '../domain/usage/reservation-lease.ts';
import type { MemberEventBus } from '../events/member-event-bus.ts';
import type { MemberContext } from '../member/member-context.ts';
import type { ChatStore } from '../storage/chats-store.ts';
import type { MoneyStore } from '../storage/money-store.ts';
import type { Stores } from '../storage/stores.ts';
import type { Usage } from './billing-policy.ts';
import type { ProviderRegistry } from './providers/registry.ts';
import type { FinishReason, ProviderMessage, UpstreamOptions } from './providers/types.ts';
import type { StopReason } from './watch-qualification.ts';

export interface ChatDeps {
  /**
   * SQLite only: the connection behind the SQLite default stores and the watcher's synchronous
   * re-check (decision 006). Not needed when `stores` are PostgreSQL's.
   */
  db?: Db;
  /** Every storage port (docs/decisions/034); default: the SQLite stores of `db`. */
  stores?: Stores;
  /** Where admission and settlement run (docs/decisions/028); default: `stores.money`. */
  money?: MoneyStore;
  /**
   * Where the answer's conversation, prompt, model rows and stored answer are read and written
   * (docs/decisions/034); default: `stores.chats`.
   */
  chats?: ChatStore;
  events?: MemberEventBus;
  now: () => Date;
  timeZone: string;
  providers: ProviderRegistry;
  /** Refuse members whose address is unverified (REQUIRE_VERIFIED_EMAIL_TO_CHAT, decision 022). */
  requireVerifiedEmail?: boolean;
  /** PUBLIC_URL's origin, for links in notification mails (credits low). */
  publicOrigin?: string;
  /** Holder and length of reservation leases (RESERVATION_LEASE_MS); default this instance, 30 s. */
  reservationLease?: ReservationLease;
}

export interface ChatInput {
  member: MemberContext;
  requestId: string;
  modelId: string;
  /** The SPA's shape: one new message in a stored conversation (created when absent). */
  content?: string;
  conversationId?: string;
  /** The API's shape: the whole prompt from the client; nothing is stored but the bill. */
  messages?: ProviderMessage[];
  /** A lower output cap than the plan's (the API's max_tokens). */
  maxOutputTokens?: number;
  /** A vendor's assistant to answer as (its model and system prompt; needs its mark). */
  assistantId?: string;
  /** A server-side plugin to run the message through (must be in the member's plan). */
  plugin?: { id: string; options?: Record<string, string> };
  /** Aborts when the client leaves; stops the answer (the upstream request), which is settled. */
  signal?: AbortSignal;
  /**
   * True from the moment the client is gone, when its caller aborts `signal` later (a paced stop,
   * paced-stops.ts): a delta that arrives in between is neither delivered nor billed. A function,
   * not a signal: aborting a signal builds and dispatches an Event, too costly for a crowd leaving.
   */
  left?: () => boolean;
  /** An API key's request: API access is required for as long as the answer streams. */
  requireApiAccess?: boolean;
  /**
   * Regenerate (SPA shape, with `conversationId`): answer this stored prompt — the conversation's
   * latest — again, as a new request; `content` is ignored. The earlier answer stays, as an
   * alternative (docs/decisions/020).
   */
  regenerate?: { promptId: string };
  /**
   * Edit and resend (SPA shape, with `conversationId`): `content` replaces this stored prompt; it
   * and everything after it leave the thread, and the new prompt is answered as a new request.
   */
  edit?: { promptId: string };
  /**
   * Images sent with `content` (SPA shape): ids of the member's pending uploads, in order
   * (docs/decisions/026). The stored prompt claims them.
   */
  imageIds?: string[];
  /** Tools, sampling and format parameters for the upstream (the API's); counted in the input. */
  upstream?: UpstreamOptions;
}

/** Why an answer ended as it did, in OpenAI's words: `length` = it hit its output cap. */
export type { FinishReason };

export type ChatEvent =
  | { type: 'refused'; reason: StopReason }
  | {
      type: 'admitted';
      requestId: string;
      conversationId: string;
      reserved: number;
      maxOutputTokens: number;
    }
  | { type: 'delta'; text: string }
  /** A piece of a tool call, as the provider streamed it (see ProviderEvent). */
  | { type: 'tool_call'; index: number; id?: string; name?: string; arguments?: string }
  | { type: 'cut_off'; reason: StopReason; usage: Usage; charged: number }
  | {
      type: 'done';
      status: 'complete' | 'error';
      usage: Usage;
      charged: number;
      error?: string;
      /** Set when the provider said why it stopped (`length`: the output cap; `tool_calls`…). */
      finishReason?: FinishReason;
    }
  | { type: 'replay'; conversationId: string; content: string; status: string | null }
  | { type: 'notice'; code: 'FALLBACK_MODEL'; from: string; to: string; reason: string };
