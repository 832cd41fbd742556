// A lean client for the SPA's chat stream: the tRPC subscription `chat.stream` over SSE
// (`GET /trpc/chat.stream?input=…` with the session cookie), as `httpSubscriptionLink` opens it.
// It only notes what the benchmarks judge — when the answer was admitted, how many deltas came,
// how the stream ended — so thousands of them cost the load generator little: a data line is
// looked at for its event type, never parsed whole.
import { type Agent, request } from 'node:http';

/** A stream that sends nothing for this long is broken (the slowest bench upstream sends every 5 s). */
const IDLE_TIMEOUT_MS = 60_000;

export interface SpaStreamInput {
  requestId: string;
  model: string;
  content: string;
}

export interface SpaStream {
  /** Resolves when the `admitted` event arrives; rejects if the stream ends or fails first. */
  admitted: Promise<void>;
  /** Resolves when the stream ends, however it ends (a fault before `leave()` sets `dropped`). */
  ended: Promise<SpaStreamResult>;
  /** The client leaves: its socket is destroyed at once, as a closed tab's is. */
  leave(): void;
}

export interface SpaStreamResult {
  status: number;
  deltas: number;
  /** The last event's type (`done`, `cut_off`, …) when the server ended the stream. */
  last: string | null;
  /** A `serialized-error` event or a non-200 body, as text. */
  error: string | null;
  left: boolean;
  /** The connection failed (reset, refused, timed out) before the client left. */
  dropped: boolean;
}

const TYPE = /"type":"([a-z_]+)"/;

export function openSpaStream(
  agent: Agent,
  origin: string,
  cookie: string,
  input: SpaStreamInput,
): SpaStream {
  const url = new URL(
    `/trpc/chat.stream?input=${encodeURIComponent(JSON.stringify(input))}`,
    origin,
  );
  const result: SpaStreamResult = {
    status: 0,
    deltas: 0,
    last: null,
    error: null,
    left: false,
    dropped: false,
  };
  let admit!: { resolve: () => void; reject: (error: Error) => void };
  const admitted = new Promise<void>((resolve, reject) => {
    admit = { resolve, reject };
  });
  admitted.catch(() => {}); // a caller that no longer waits for it must not see it unhandled
  let leave = () => {};
  const ended = new Promise<SpaStreamResult>((resolve) => {
    let finished = false;
    const fail = (error: Error) => {
      if (!result.left && !finished) {
        result.dropped = true;
        result.error = String(error);
      }
      finish();
    };
    const finish = () => {
      if (finished) return;
      finished = true;
      admit.reject(new Error(`the stream ended before admission: ${result.error ?? result.last}`));
      resolve(result);
    };
    const req = request(
      {
        agent,
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: 'GET',
        headers: { cookie, accept: 'text/event-stream' },
      },
      (res) => {
        result.status = res.statusCode ?? 0;
        res.setEncoding('utf8');
        let buffer = '';
        let event = '';
        res.on('data', (chunk: string) => {
          if (result.status !== 200) {
            result.error = ((result.error ?? '') + chunk).slice(0, 400);
            return;
          }
          buffer += chunk;
          let newline = buffer.indexOf('\n');
          while (newline !== -1) {
            const line = buffer.slice(0, newline);
            buffer = buffer.slice(newline + 1);
            newline = buffer.indexOf('\n');
            if (line === '') event = '';
            else if (line.startsWith('event:')) event = line.slice(6).trim();
            else if (line.startsWith('data:')) {
              if (event === 'serialized-error') {
                result.error = line.slice(5, 400);
                continue;
              }
              if (event !== '') continue; // connected, ping, return
              const type = TYPE.exec(line)?.[1] ?? null;
              if (type === 'delta') result.deltas++;
              else if (type === 'admitted') admit.resolve();
              else if (type) result.last = type;
            }
          }
        });
        res.on('end', finish);
        res.on('close', finish);
        res.on('error', (error) => fail(error));
      },
    );
    req.on('error', (error) => fail(error));
    req.setTimeout(IDLE_TIMEOUT_MS, () =>
      req.destroy(new Error(`no data for ${IDLE_TIMEOUT_MS} ms`)),
    );
    req.end();
    leave = () => {
      if (finished) return;
      result.left = true;
      req.destroy();
      finish();
    };
  });
  return { admitted, ended, leave: () => leave() };
}
