// Serves the built SPA. Hashed assets are cached for a year; everything else that is not a file
// falls back to index.html so client-side routes survive a reload.
import { createReadStream, existsSync, statSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const SECURITY_HEADERS = {
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'strict-origin-when-cross-origin',
  'x-frame-options': 'DENY',
};

export function createStaticHandler(rootDir: string) {
  const root = resolve(rootDir);
  const indexPath = join(root, 'index.html');

  function send(res: ServerResponse, path: string, cacheControl: string, head: boolean) {
    const stat = statSync(path);
    res.writeHead(200, {
      ...SECURITY_HEADERS,
      'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
      'content-length': stat.size,
      'cache-control': cacheControl,
    });
    if (head) res.end();
    else createReadStream(path).pipe(res);
  }

  return function serveStatic(req: IncomingMessage, res: ServerResponse, pathname: string): void {
    const head = req.method === 'HEAD';
    if (req.method !== 'GET' && !head) {
      res.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    let decoded: string;
    try {
      decoded = decodeURIComponent(pathname);
    } catch {
      res.writeHead(400).end();
      return;
    }
    const candidate = normalize(join(root, decoded));
    if (candidate.startsWith(root + sep) && existsSync(candidate) && statSync(candidate).isFile()) {
      const immutable = candidate.startsWith(join(root, 'assets') + sep);
      send(res, candidate, immutable ? 'public, max-age=31536000, immutable' : 'no-cache', head);
      return;
    }
    // Missing files with an extension are real 404s; anything else is a client-side route.
    if (extname(decoded) !== '' || !existsSync(indexPath)) {
      res
        .writeHead(404, { 'content-type': 'text/plain; charset=utf-8' })
        .end(existsSync(indexPath) ? 'Not found' : 'The web app is not built. Run `pnpm build`.');
      return;
    }
    send(res, indexPath, 'no-cache', head);
  };
}
