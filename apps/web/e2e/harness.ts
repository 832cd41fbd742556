// What every browser suite shares: where the built SPA is, how Chromium is launched here (Debian's
// build, flags that keep it off the network), the test password, and a real server per suite.
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type Browser, type BrowserContext, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import { type RunningApp, startApp } from '../../server/src/app.ts';
import type { AppConfig } from '../../server/src/config.ts';
import { type FakeStripe, startFakeStripe } from '../../server/testing/fake-stripe/index.ts';
import { type PageWatch, reportFailure, watchPage } from './failure-report.ts';

export const WEB_DIST_DIR = fileURLToPath(new URL('../dist', import.meta.url));

export const PASSWORD = 'mosaic-tiles-42';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Debian's Chromium by default; CHROMIUM_PATH points at another build. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: CHROMIUM_ARGS,
  });
}

export interface E2EServer {
  /** The real server, on a fresh SQLite file in a temporary folder. */
  readonly app: RunningApp;
  readonly browser: Browser;
  /** A fresh English-speaking visitor (own cookies and localStorage). */
  visitor(): Promise<{ context: BrowserContext; page: Page }>;
  /**
   * A visitor who signs up with `email` and lands on the chat. The address counts as verified (as
   * if the mailed link had been opened) unless `verified: false` (decision 022).
   */
  signUp(
    email: string,
    options?: { verified?: boolean },
  ): Promise<{ context: BrowserContext; page: Page }>;
  /** The fake Stripe the server talks to (suites started with `{ stripe: true }` only). */
  readonly stripe: FakeStripe;
}

/**
 * Starts the built SPA on the real server (in-process, production mode) and Chromium before the
 * suite's tests, and removes both afterwards.
 */
export function e2eServer(
  name: string,
  config: Partial<AppConfig> = {},
  options: { stripe?: boolean } = {},
): E2EServer {
  let app: RunningApp | undefined;
  let stripe: FakeStripe | undefined;
  let browser: Browser | undefined;
  let tempDir: string | undefined;
  // The pages opened by the running test, so a failure can say what they showed and logged.
  let watched: PageWatch[] = [];
  beforeEach(({ task, onTestFailed }) => {
    watched = [];
    onTestFailed(() => reportFailure(task.name, watched));
  });
  beforeAll(async () => {
    if (!existsSync(join(WEB_DIST_DIR, 'index.html'))) {
      throw new Error(`No SPA build in ${WEB_DIST_DIR}: run \`pnpm build\` first.`);
    }
    tempDir = await mkdtemp(join(tmpdir(), `tessera-e2e-${name}-`));
    // Checkout and the portal go to a fake Stripe on loopback; its webhooks come back to the app.
    if (options.stripe) stripe = await startFakeStripe();
    const stripeConfig = stripe
      ? {
          stripe: {
            secretKey: stripe.secretKey,
            apiBase: stripe.url,
            webhookSecret: stripe.webhookSecret,
            graceDays: 3,
          },
        }
      : {};
    app = await startApp({
      port: 0,
      databasePath: join(tempDir, 'e2e.db'),
      webDistDir: WEB_DIST_DIR,
      nodeEnv: 'production',
      ...stripeConfig,
      ...config,
    });
    if (stripe) stripe.webhookUrl = `${app.url}/api/stripe/webhook`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await stripe?.close();
    if (tempDir) await rm(tempDir, { recursive: true, force: true });
  });
  const server: E2EServer = {
    get app() {
      if (!app) throw new Error('the server starts in beforeAll');
      return app;
    },
    get stripe() {
      if (!stripe)
        throw new Error('start the suite with e2eServer(name, config, { stripe: true })');
      return stripe;
    },
    get browser() {
      if (!browser) throw new Error('Chromium starts in beforeAll');
      return browser;
    },
    async visitor() {
      const context = await server.browser.newContext({ locale: 'en-US', baseURL: server.app.url });
      const page = await context.newPage();
      page.setDefaultTimeout(15_000);
      watched.push(watchPage(page));
      return { context, page };
    },
    async signUp(email, options = {}) {
      const visitor = await server.visitor();
      await visitor.page.goto('/sign-up');
      await visitor.page.getByTestId('signup-email').fill(email);
      await visitor.page.getByTestId('signup-password').fill(PASSWORD);
      await visitor.page.getByTestId('signup-submit').click();
      await visitor.page.waitForURL('**/chat');
      if (options.verified !== false) {
        // A test-only shortcut for the mailed link; the reload shows the page as a verified user.
        server.app.database.sqlite
          .prepare('update users set email_verified_at = created_at where email = ?')
          .run(email.trim().toLowerCase());
        await visitor.page.reload();
        await visitor.page.waitForURL('**/chat');
      }
      return visitor;
    },
  };
  return server;
}
