// What every browser suite shares: where the built SPA is, how Chromium is launched here (Debian's
// build, flags that keep it off the network), and the test password.
import { fileURLToPath } from 'node:url';
import { type Browser, chromium } from 'playwright-core';

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
