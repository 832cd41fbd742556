/**
 * What a live member event makes stale. `membership.events` yields `{ kind: 'connected' }` first
 * (also after a reconnect) and then tracked events, which arrive as `{ id, data: { kind } }`.
 */
export type RefreshTarget = 'membership' | 'usage';

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** The event's kind (`connected`, `credits.changed`, `membership.granted`…), or null. */
export function memberEventKind(message: unknown): string | null {
  if (!isRecord(message)) return null;
  const payload = isRecord(message.data) ? message.data : message;
  return typeof payload.kind === 'string' ? payload.kind : null;
}

/**
 * Credit changes touch only usage (balance, ledger). Membership changes also change limits and
 * refills, so usage goes with them. Anything else — the first message, a kind this build does not
 * know — refreshes both, which also covers whatever changed while the stream was down.
 */
export function refreshTargets(kind: string | null): RefreshTarget[] {
  if (kind === 'credits.changed') return ['usage'];
  return ['membership', 'usage'];
}
