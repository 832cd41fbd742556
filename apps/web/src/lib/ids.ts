/**
 * A random id for one request (a chat send, an admin adjustment), so a retry or a reconnect is
 * recognised by the server. `randomUUID` exists only in secure contexts (https, localhost);
 * `getRandomValues` everywhere, so plain-http deployments get 32 hex digits instead.
 */
export function newRandomId(): string {
  const c = globalThis.crypto;
  if (typeof c.randomUUID === 'function') return c.randomUUID();
  const bytes = c.getRandomValues(new Uint8Array(16));
  return [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
}
