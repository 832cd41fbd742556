// A Stripe-compatible server on loopback for tests and local development: the real `stripe` SDK,
// pointed at it with host/port/protocol, works unmodified (decision 016). Bearer auth, Stripe's
// error shape, Idempotency-Key replays, hosted Checkout/Portal pages, and webhooks signed with the
// SDK's own test helper and POSTed to `webhookUrl`.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import Stripe from 'stripe';
import { handleApi } from './api.ts';
import { type FormObject, parseForm } from './form.ts';
import { API_VERSION, newId, StripeApiError, type StripeEvent, snapshot } from './objects.ts';
import { checkoutPage, invoicePage, portalPage } from './pages.ts';
import { FakeStripeStore } from './store.ts';
import type { Delivery, FakeStripe, FakeStripeOptions, ReceivedRequest } from './types.ts';

export type { Delivery, FakeStripe, FakeStripeOptions, ReceivedRequest } from './types.ts';

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function sendJson(res: ServerResponse, status: number, body: unknown, replayed = false) {
  res.writeHead(status, {
    'content-type': 'application/json',
    'request-id': newId('req'),
    'stripe-version': API_VERSION,
    ...(replayed ? { 'idempotent-replayed': 'true' } : {}),
  });
  res.end(JSON.stringify(body));
}

export async function startFakeStripe(options: FakeStripeOptions = {}): Promise<FakeStripe> {
  const secretKey = options.secretKey ?? 'sk_test_fakestripe';
  const webhookSecret = options.webhookSecret ?? 'whsec_fakestripe';
  const now = options.now ?? (() => new Date());
  const seconds = () => Math.floor(now().getTime() / 1000);
  const events: StripeEvent[] = [];
  const deliveries: Delivery[] = [];
  const requests: ReceivedRequest[] = [];
  const inFlight = new Set<Promise<unknown>>();
  let pending: StripeEvent[] = [];
  let base = '';
  const idempotent = new Map<string, { fingerprint: string; status: number; body: unknown }>();

  const store = new FakeStripeStore(
    () => base,
    seconds,
    (type, object, previous) => {
      const event: StripeEvent = {
        id: newId('evt'),
        object: 'event',
        api_version: API_VERSION,
        type,
        created: seconds(),
        livemode: false,
        pending_webhooks: 1,
        request: { id: null, idempotency_key: null },
        data: { object: snapshot(object), ...(previous ? { previous_attributes: previous } : {}) },
      };
      events.push(event);
      pending.push(event);
    },
  );

  async function post(event: StripeEvent): Promise<number> {
    if (!fake.webhookUrl) return 0;
    const payload = JSON.stringify(event);
    const signature = Stripe.webhooks.generateTestHeaderString({
      payload,
      secret: webhookSecret,
      timestamp: seconds(),
    });
    let status = 0;
    try {
      const response = await fetch(fake.webhookUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'stripe-signature': signature },
        body: payload,
      });
      await response.arrayBuffer();
      status = response.status;
    } catch {
      status = 0; // unreachable: recorded as 0, as Stripe records a failed attempt
    }
    deliveries.push({ eventId: event.id, type: event.type, status });
    return status;
  }

  /** Delivers what the last operation emitted, in order (one after another, as they happened). */
  function flush(): Promise<void> {
    const batch = pending;
    pending = [];
    const run = (async () => {
      for (const event of batch) await post(event);
    })();
    inFlight.add(run);
    return run.finally(() => inFlight.delete(run));
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = req.method ?? 'GET';
    const raw = await readBody(req);
    if (url.pathname.startsWith('/v1/')) {
      const auth = req.headers.authorization ?? '';
      const given = /^Bearer (.+)$/.exec(auth)?.[1];
      if (given !== secretKey) {
        const message = given
          ? `Invalid API Key provided: ${given.slice(0, 8)}****${given.slice(-4)}`
          : 'You did not provide an API key.';
        return sendJson(res, 401, { error: { type: 'invalid_request_error', message } });
      }
      const form = method === 'GET' || method === 'DELETE' ? {} : parseForm(raw);
      const key =
        method === 'POST' ? (req.headers['idempotency-key'] as string | undefined) : undefined;
      requests.push({
        method,
        path: url.pathname,
        body: form,
        query: Object.fromEntries(url.searchParams),
        idempotencyKey: key ?? null,
      });
      const fingerprint = `${method} ${url.pathname} ${raw}`;
      const seen = key ? idempotent.get(key) : undefined;
      if (seen) {
        if (seen.fingerprint !== fingerprint) {
          return sendJson(res, 400, {
            error: {
              type: 'idempotency_error',
              message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
            },
          });
        }
        return sendJson(res, seen.status, seen.body, true);
      }
      let status = 200;
      let body: unknown;
      try {
        body = handleApi(store, method, url.pathname, form, url.searchParams);
      } catch (error) {
        if (!(error instanceof StripeApiError)) throw error;
        status = error.status;
        body = error.toJSON();
      }
      if (key) idempotent.set(key, { fingerprint, status, body });
      sendJson(res, status, body);
      void flush(); // Stripe answers the call first; its webhooks follow on their own
      return;
    }
    const checkout = /^\/checkout\/([^/]+)(\/pay)?$/.exec(url.pathname);
    const portal = /^\/portal\/([^/]+)(?:\/cancel\/([^/]+))?$/.exec(url.pathname);
    const invoice = /^\/invoice\/([^/]+)$/.exec(url.pathname);
    const html = (text: string) =>
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(text);
    try {
      if (checkout && method === 'GET' && !checkout[2])
        return html(checkoutPage(store, checkout[1]!));
      if (checkout && method === 'POST' && checkout[2]) {
        const session = store.completeCheckout(checkout[1]!);
        await flush(); // delivered before the redirect, so the app knows by the time the user is back
        const target = session.success_url.replaceAll('{CHECKOUT_SESSION_ID}', session.id);
        return res.writeHead(303, { location: target }).end();
      }
      if (portal && method === 'GET' && !portal[2]) return html(portalPage(store, portal[1]!));
      if (portal && method === 'POST' && portal[2]) {
        store.updateSubscription(portal[2], { cancel_at_period_end: true });
        await flush();
        return res.writeHead(303, { location: `/portal/${portal[1]}` }).end();
      }
      if (invoice && method === 'GET') return html(invoicePage(store, invoice[1]!));
    } catch (error) {
      if (!(error instanceof StripeApiError)) throw error;
      return res.writeHead(error.status, { 'content-type': 'text/plain' }).end(error.message);
    }
    res.writeHead(404, { 'content-type': 'text/plain' }).end('Not found');
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(String(error));
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  const fake: FakeStripe = {
    url: base,
    secretKey,
    webhookSecret,
    webhookUrl: options.webhookUrl,
    store,
    events,
    deliveries,
    requests,
    createPrice({ unitAmount, currency = 'usd', interval }) {
      const form: FormObject = { unit_amount: String(unitAmount), currency };
      if (interval) form.recurring = { interval };
      return store.createPrice(form);
    },
    async completeCheckout(id) {
      store.completeCheckout(id);
      await flush();
    },
    async updateSubscription(id, patch) {
      const subscription = store.updateSubscription(id, patch);
      await flush();
      return subscription;
    },
    async cancelSubscription(id) {
      const subscription = store.cancelSubscription(id);
      await flush();
      return subscription;
    },
    async renewSubscription(id, renewOptions) {
      const subscription = store.renewSubscription(id, renewOptions);
      await flush();
      return subscription;
    },
    async refund(chargeId, amount) {
      store.refund({
        charge: chargeId,
        ...(amount === undefined ? {} : { amount: String(amount) }),
      });
      await flush();
    },
    async deliver(event, { times = 1, concurrently = false } = {}) {
      if (concurrently) return Promise.all(Array.from({ length: times }, () => post(event)));
      const statuses: number[] = [];
      for (let i = 0; i < times; i++) statuses.push(await post(event));
      return statuses;
    },
    async settled() {
      while (inFlight.size > 0) await Promise.all(inFlight);
    },
    async close() {
      await fake.settled();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
  return fake;
}
