import type { IncomingMessage } from 'node:http';
import type { RequestMeta } from '@tessera/api';

export function clientIp(req: IncomingMessage, trustProxy: boolean): string | null {
  if (trustProxy) {
    const forwarded = req.headers['x-forwarded-for'];
    const first = (Array.isArray(forwarded) ? forwarded[0] : forwarded)?.split(',')[0]?.trim();
    if (first) return first;
  }
  return req.socket.remoteAddress ?? null;
}

export function requestMeta(req: IncomingMessage, trustProxy: boolean): RequestMeta {
  return {
    ip: clientIp(req, trustProxy),
    userAgent: req.headers['user-agent'] ?? null,
    origin: req.headers.origin ?? null,
  };
}
