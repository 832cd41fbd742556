// Composes the whole service on one port: /trpc (HTTP + SSE), /v1, Stripe webhooks, /healthz and
// the SPA, routed through the one table in http/routes.ts.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type ApiDeps,
  createDemoProvider,
  createLiveAnswers,
  createOpenAIProvider,
  createPacedStops,
  createProviderRegistry,
  createSsoProviders,
  createStripeClient,
  INSTANCE_ID,
  twoFactorSettings,
} from '@tessera/api';
import type { DbHandle } from '@tessera/db';
import { type AppConfig, withDefaults } from './config.ts';
import { createRedisAnswerStops } from './events/answer-stops.ts';
import { createRedisAnswerStreams } from './events/answer-streams.ts';
import { createRedisEventTransport } from './events/redis-transport.ts';
import { createOpenAIApiHandler } from './http/openai/handler.ts';
import { sendOpenAINotFound } from './http/openai/wire.ts';
import { matchRoute, type RouteKey } from './http/routes.ts';
import { createSsoHandler } from './http/sso.ts';
import { createStaticHandler } from './http/static-files.ts';
import { createStripeWebhookHandler } from './http/stripe-webhook.ts';
import { createTrpcHandler } from './http/trpc-handler.ts';
import { createLogger, type Logger } from './logger.ts';
import { type MailSender, startMailSender } from './mail/sender.ts';
import { createLogTransport, createSmtpTransport } from './mail/transports.ts';
import { startReservationLeaseRenewal } from './reservation-leases.ts';
import { startScheduler } from './scheduler.ts';
import { openStorage } from './storage.ts';

type Handler = (req: IncomingMessage, res: ServerResponse, pathname: string) => unknown;

export interface RunningApp {
  url: string;
  server: Server;
  database: DbHandle;
  logger: Logger;
  /** The outbox's sender loop; `flush()` delivers what is due now. */
  mailSender: MailSender;
  close(): Promise<void>;
}

export async function startApp(
  partial: Partial<AppConfig> & Pick<AppConfig, 'databasePath'>,
  overrides: { now?: () => Date; logger?: Logger } = {},
): Promise<RunningApp> {
  const config = withDefaults(partial);
  const logger = overrides.logger ?? createLogger(config);
  // The SQLite file, or PostgreSQL when DATABASE_URL is set (decision 034); migrated either way.
  const storage = await openStorage(config);
  const { stores } = storage;
  const database = storage.sqlite;
  if (config.seedDemo && (await stores.catalog.seedDemo(new Date())))
    logger.info('seeded the demo catalog');
  // Reservations whose lease ran out (a crashed instance's) are released, nothing charged, at
  // start-up by whichever instance starts; afterwards by the scheduler's leader (decision 030).
  const swept = await stores.money.releaseStaleReservations({
    now: new Date(),
    timeZone: config.timeZone,
  });
  if (swept.found > 0) logger.warn(swept, 'released credit reservations left open by a crash');
  const reservationLease = { holder: INSTANCE_ID, ms: config.reservationLeaseMs };
  const leaseRenewal = startReservationLeaseRenewal({
    money: stores.money,
    lease: reservationLease,
    logger,
  });
  // Another instance's newer auth epoch makes older cached member contexts useless: drop them, at
  // most once a second (a sweep walks the whole cache; sign-outs can bump the epoch often).
  let staleEpoch = 0;
  let sweepTimer: NodeJS.Timeout | undefined;
  function forgetStaleContexts(epoch: number) {
    staleEpoch = Math.max(staleEpoch, epoch);
    sweepTimer ??= setTimeout(() => {
      sweepTimer = undefined;
      stores.members.forgetMemberContextsBefore(staleEpoch);
    }, 1_000).unref();
  }
  // With Redis, other instances push notices of their commits (decision 029); without, the
  // outbox is polled every 20 ms as before.
  const transport = config.redis
    ? createRedisEventTransport({ url: config.redis.url, prefix: config.redis.prefix, logger })
    : undefined;
  const events = stores.ops.memberEventBus({
    onError: (error) => logger.error({ err: error }, 'member event bus read failed'),
    transport,
    safetyPollMs: config.redis?.safetyPollMs,
    onAuthEpoch: forgetStaleContexts,
  });

  // With Redis, answers are mirrored so a reconnect on another instance resumes them (decision 033).
  const answerStreams = config.redis
    ? createRedisAnswerStreams({
        url: config.redis.url,
        prefix: config.redis.prefix,
        logger,
        graceMs: config.chatResumeGraceMs,
      })
    : undefined;
  // One paced stop queue for the process: SPA answers whose grace ended and /v1 answers whose
  // client left are stopped a slice of the loop at a time, as one crowd (decision 032).
  const pacedStops = createPacedStops({
    onError: (error) => logger.error({ err: error }, 'stopping an answer failed'),
  });
  const liveAnswers = createLiveAnswers({
    stops: pacedStops,
    graceMs: config.chatResumeGraceMs,
    onError: (error, requestId) =>
      logger.error({ err: error, requestId }, 'stopping an answer failed'),
    mirror: answerStreams?.mirror,
  });
  answerStreams?.serve(liveAnswers);
  // …and a Stop landing on an instance that does not hold the answer is forwarded to the holder.
  const answerStops = config.redis
    ? createRedisAnswerStops({ url: config.redis.url, prefix: config.redis.prefix, logger })
    : undefined;
  answerStops?.serve(liveAnswers);
  const deps: ApiDeps = {
    db: database.db,
    stores,
    secureCookies: config.publicUrl?.startsWith('https:') ?? false,
    exposeErrorDetails: config.nodeEnv === 'development',
    now: overrides.now ?? (() => new Date()),
    events,
    timeZone: config.timeZone,
    // Nothing reaches the network unless OPENAI_BASE_URL is set; the demo model works offline.
    providers: createProviderRegistry({
      demo: createDemoProvider({ tokensPerSecond: config.demoTokensPerSecond }),
      byId: config.openai ? { openai: createOpenAIProvider(config.openai) } : {},
      rows: stores.chats,
    }),
    liveAnswers,
    pacedStops,
    remoteAnswers: answerStreams,
    remoteStops: answerStops,
    // Checkout, the portal, invoices and the webhook's subscription retrieval need the key; the
    // webhook's signature check needs only its secret.
    stripe: config.stripe.secretKey
      ? createStripeClient({ secretKey: config.stripe.secretKey, apiBase: config.stripe.apiBase })
      : undefined,
    publicOrigin: config.publicUrl ? new URL(config.publicUrl).origin : undefined,
    twoFactor: twoFactorSettings(config.twoFactor),
    // Building the providers fetches nothing: an issuer is asked only when someone signs in.
    sso: createSsoProviders(config.sso),
    requireVerifiedEmailToChat: config.requireVerifiedEmailToChat ?? false,
    reservationLease,
  };
  if (config.nodeEnv === 'production' && !config.twoFactor?.encryptionKey) {
    logger.warn(
      'TWO_FACTOR_ENCRYPTION_KEY is not set: TOTP secrets are sealed with the public development key',
    );
  }
  const trustedOrigins = [
    ...config.trustedOrigins,
    ...(config.publicUrl ? [new URL(config.publicUrl).origin] : []),
  ];
  // Mail leaves the machine only when SMTP_URL is set; otherwise it is logged and kept (decision 021).
  const smtp = config.mail.smtpUrl
    ? createSmtpTransport({ url: config.mail.smtpUrl, from: config.mail.from })
    : null;
  const mailSender = startMailSender({
    queue: stores.ops,
    transport: smtp ?? createLogTransport(logger),
    now: deps.now,
    pollMs: config.mail.pollMs,
    policy: config.mail.policy,
    logger,
  });
  const scheduler = config.scheduler
    ? startScheduler({
        stores,
        timeZone: config.timeZone,
        logger,
        baseUrl: deps.publicOrigin ?? `http://localhost:${config.port}`,
        tickMs: config.schedulerTickMs,
        afterWrite: () => events.poke(),
      })
    : null;
  const handleTrpc = createTrpcHandler({
    deps,
    trustedOrigins,
    trustProxy: config.trustProxy,
    logger,
  });
  const serveStatic = createStaticHandler(config.webDistDir);
  const handleOpenAI = createOpenAIApiHandler({ deps, logger, corsOrigins: config.v1CorsOrigins });
  const handleStripeWebhook = createStripeWebhookHandler({
    stores,
    webhookSecret: config.stripe.webhookSecret,
    stripe: deps.stripe ?? null,
    graceDays: config.stripe.graceDays,
    now: deps.now,
    logger,
    baseUrl: deps.publicOrigin,
  });

  const sso = createSsoHandler({ deps, stores, trustProxy: config.trustProxy, logger });

  const handlers: Record<RouteKey, Handler> = {
    'GET /healthz': async (_req, res) => {
      await storage.ping();
      res.writeHead(200, { 'content-type': 'application/json', 'cache-control': 'no-store' });
      res.end(JSON.stringify({ ok: true }));
    },
    'GET /trpc/:procedure': handleTrpc,
    'POST /trpc/:procedure': handleTrpc,
    'GET /v1/models': handleOpenAI,
    'POST /v1/chat/completions': handleOpenAI,
    'OPTIONS /v1/models': handleOpenAI,
    'OPTIONS /v1/chat/completions': handleOpenAI,
    'POST /api/stripe/webhook': handleStripeWebhook,
    'GET /api/auth/sso/oidc/start': sso.start('oidc'),
    'GET /api/auth/sso/oidc/callback': sso.callback('oidc'),
    'GET /api/auth/sso/github/start': sso.start('github'),
    'GET /api/auth/sso/github/callback': sso.callback('github'),
    'GET /*': serveStatic,
  };

  const server = createServer((req, res) => {
    // The one place a commit made by a request is announced to the other instances, and read at
    // once by this one: after any request that may write (sign-out, password change and the like
    // bump the auth epoch without a member event; the Stripe webhook and SSO are not routers, so
    // the routers' pokes alone would miss them). On PostgreSQL without Redis this is what cuts a
    // stream on this instance at the next chunk rather than at the next poll. Streams poke at
    // settlement.
    if (req.method !== 'GET' && req.method !== 'HEAD') res.once('finish', () => events.poke());
    const pathname = new URL(req.url ?? '/', 'http://localhost').pathname;
    const done = (error?: unknown) => {
      if (error === undefined) return;
      logger.error({ err: error, pathname }, 'request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('Internal server error');
    };
    try {
      const route = matchRoute(req.method ?? 'GET', pathname);
      if ('key' in route) {
        Promise.resolve(handlers[route.key](req, res, pathname)).catch(done);
      } else if (pathname === '/v1' || pathname.startsWith('/v1/')) {
        sendOpenAINotFound(res, `${req.method} ${pathname}`);
      } else {
        const headers = route.status === 405 ? { allow: route.allow.join(', ') } : {};
        res.writeHead(route.status, headers).end();
      }
    } catch (error) {
      done(error);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port, config.host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host =
    address.family === 'IPv6'
      ? address.address === '::'
        ? 'localhost'
        : `[${address.address}]`
      : address.address === '0.0.0.0'
        ? 'localhost'
        : address.address;
  const url = `http://${host}:${address.port}`;
  logger.info(
    {
      url,
      engine: storage.engine,
      ...(storage.engine === 'sqlite' ? { databasePath: config.databasePath } : {}),
      instance: INSTANCE_ID,
    },
    'listening',
  );

  let closing: Promise<void> | undefined;
  return {
    url,
    server,
    database,
    logger,
    mailSender,
    close() {
      let schedulerStopped: Promise<void> | undefined;
      closing ??= new Promise<void>((resolve) => {
        schedulerStopped = scheduler?.stop();
        events.close(); // ends live subscriptions so their connections can close
        server.close(() => resolve());
        // Idle keep-alive sockets would hold close() open; in-flight requests still finish.
        server.closeIdleConnections();
      }).then(async () => {
        // Answers waiting for a reconnect are settled for what they delivered.
        await liveAnswers.stopAll();
        await pacedStops.idle(); // /v1 answers whose client left, still waiting for their turn
        answerStreams?.close();
        answerStops?.close();
        leaseRenewal.stop(); // every answer is settled: nothing left to vouch for
        await mailSender.stop();
        await schedulerStopped;
        smtp?.close();
        clearTimeout(sweepTimer);
        events.close();
        await storage.close();
      });
      return closing;
    },
  };
}
