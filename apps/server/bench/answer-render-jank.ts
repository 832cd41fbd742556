// Rendering a long streamed answer in the browser: the built SPA in Chromium, served by the real
// server, while a 4,000-token markdown answer (headings, paragraphs, lists, GitHub tables, ```ts
// blocks, inline and display math) streams in at 100 tokens/s. The demo model's text is short and
// fixed, so the answer comes from an OpenAI-compatible upstream on loopback (every model of the
// catalog is pointed at it, as an admin would with OPENAI_BASE_URL) that sends the long answer on
// a fixed schedule. The page records, from the moment the answer starts until it completes,
// Chromium's Long Animation Frames (PerformanceObserver 'long-animation-frame': frames whose work
// took > 50 ms), long tasks ('longtask') and the gaps between requestAnimationFrame callbacks.
// Target: no frame longer than 50 ms during the stream. Ratio = longest frame ÷ 50 ms.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { adjustCredits, getMarkByKey, getUserByEmail, grantMark } from '@tessera/api';
import { chromium } from 'playwright-core';
import { startApp } from '../src/app.ts';
import type { Benchmark } from './lib/benchmark.ts';
import { machineLoad } from './lib/timing.ts';

const TOKENS = 4000;
const TOKENS_PER_SECOND = 100;
const TARGET_FRAME_MS = 50;
const WEB_DIST_DIR = fileURLToPath(new URL('../../web/dist', import.meta.url));
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

/** A long answer of the kinds a real model writes, cut into ≈ GPT-sized tokens. */
export function longAnswerTokens(count: number): string[] {
  const sections: string[] = [];
  for (let n = 1; sections.join('').length < count * 6; n++) {
    sections.push(
      [
        `## Part ${n}: laying tesserae`,
        '',
        `Mosaic work in part ${n} starts with **sorting** the tiles by colour and *size*, then ` +
          'setting them into a bed of mortar one by one, keeping the joints narrow and even. ' +
          `See [the guide](https://example.com/mosaics/${n}) for photos.`,
        '',
        '- cut the glass with wheeled nippers',
        '- [x] keep the andamento flowing',
        '- [ ] grout after the bed has cured',
        '',
        '| Material | Hardness | Cost per m² |',
        '|---|---:|---:|',
        `| Smalti | 5.5 | ${100 + n} |`,
        `| Marble | 3 | ${60 + n} |`,
        `| Ceramic | 4 | ${30 + n} |`,
        '',
        '```ts',
        `export function tilesFor(area: number, tile = ${(n % 3) + 1}): number {`,
        '  // one tile per square centimetre, plus ten percent for breakage',
        '  const perCm2 = 1 / (tile * tile);',
        `  return Math.ceil(area * 10_000 * perCm2 * 1.1) + ${n};`,
        '}',
        '',
        'const order = [2.5, 4, 7.25].map((m2) => tilesFor(m2));',
        '```',
        '',
        `The tiles needed grow as $n = \\lceil 1.1 \\cdot A / s^2 \\rceil$ for area $A$, and for ${n} panels:`,
        '',
        '$$',
        `T = \\sum_{i=1}^{${n}} \\left\\lceil \\frac{1.1\\, A_i}{s^2} \\right\\rceil`,
        '$$',
        '',
        '> Patience is the mortar of every mosaic.',
        '',
      ].join('\n'),
    );
  }
  return (sections.join('\n').match(/\s*\S{1,5}|\s+/g) ?? []).slice(0, count);
}

/** An OpenAI-compatible streaming endpoint that sends `tokens` on a schedule fixed at arrival. */
async function startLongUpstream(tokens: string[]): Promise<{ baseURL: string; server: Server }> {
  const server = createServer((req, res) => {
    if (req.method !== 'POST' || !req.url?.endsWith('/chat/completions')) {
      res.writeHead(404).end();
      return;
    }
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
      const id = 'chatcmpl-bench';
      const frame = (fields: object) =>
        `data: ${JSON.stringify({
          id,
          object: 'chat.completion.chunk',
          created: Math.floor(Date.now() / 1000),
          model: 'bench-long',
          ...fields,
        })}\n\n`;
      const chunk = (delta: object, finish: string | null = null) =>
        frame({ choices: [{ index: 0, delta, finish_reason: finish }] });
      res.write(chunk({ role: 'assistant', content: '' }));
      const start = Date.now();
      let sent = 0;
      const timer = setInterval(() => {
        const due = Math.min(
          tokens.length,
          Math.floor(((Date.now() - start) * TOKENS_PER_SECOND) / 1000) + 1,
        );
        if (due > sent) {
          res.write(chunk({ content: tokens.slice(sent, due).join('') }));
          sent = due;
        }
        if (sent >= tokens.length) {
          clearInterval(timer);
          res.write(chunk({}, 'stop'));
          const usage = { prompt_tokens: 20, completion_tokens: tokens.length };
          res.write(frame({ choices: [], usage: { ...usage, total_tokens: tokens.length + 20 } }));
          res.end('data: [DONE]\n\n');
        }
      }, 1000 / TOKENS_PER_SECOND);
      res.on('close', () => clearInterval(timer));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return { baseURL: `http://127.0.0.1:${port}/v1`, server };
}

interface FrameReport {
  worst: Array<{ duration: number; layout: number; scripts: Array<{ ms: number; what: string }> }>;
  supported: { loaf: boolean; longtask: boolean };
  streamMs: number;
  loaf: number[];
  longtasks: number[];
  rafGaps: number[];
  frames: number;
  chars: number;
}

/**
 * Installed before the SPA loads: the observers and a rAF loop, read back after the stream. Page
 * code, kept as source text (this package is compiled without the DOM library).
 */
const RECORD_FRAMES = `(() => {
  const state = { loaf: [], longtasks: [], rafs: [], supported: {
    loaf: PerformanceObserver.supportedEntryTypes.includes('long-animation-frame'),
    longtask: PerformanceObserver.supportedEntryTypes.includes('longtask'),
  } };
  window.__frames = state;
  const observe = (type, into) => {
    try {
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) {
          const layout = e.styleAndLayoutStart ? e.startTime + e.duration - e.styleAndLayoutStart : 0;
          const scripts = (e.scripts || []).map((x) => ({
            ms: Math.round(x.duration),
            what: (x.invoker || '') + ' ' + (x.sourceFunctionName || '') + ' ' + (x.sourceURL || '').split('/').pop() + ':' + (x.sourceCharPosition ?? ''),
          }));
          into.push({ start: e.startTime, duration: e.duration, layout, scripts });
        }
      }).observe({ type, buffered: true });
    } catch {}
  };
  observe('long-animation-frame', state.loaf);
  observe('longtask', state.longtasks);
  const tick = (now) => { state.rafs.push(now); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
})();`;

/** What was recorded between two `performance.now()` readings, as a FrameReport. */
const readFrames = (from: number, to: number) => `(() => {
  const s = window.__frames;
  const from = ${from}, to = ${to};
  const within = (e) => e.start >= from && e.start <= to;
  const rafs = s.rafs.filter((t) => t >= from && t <= to);
  const md = document.querySelector('[data-testid="chat-answer"] [data-testid="answer-markdown"]');
  return {
    supported: s.supported,
    streamMs: to - from,
    loaf: s.loaf.filter(within).map((e) => e.duration),
    worst: s.loaf.filter(within).sort((a, b) => b.duration - a.duration).slice(0, 5),
    longtasks: s.longtasks.filter(within).map((e) => e.duration),
    rafGaps: rafs.slice(1).map((t, i) => t - rafs[i]),
    frames: rafs.length,
    chars: md ? md.textContent.length : 0,
  };
})()`;

const ms = (value: number) => `${value.toFixed(1)} ms`;

export const answerRenderJank: Benchmark = {
  id: 'answer-render',
  title: 'answer rendering in Chromium while a long markdown answer streams',
  async run({ explain, log }) {
    const tokens = longAnswerTokens(TOKENS);
    if (tokens.length !== TOKENS) throw new Error(`the answer has ${tokens.length} tokens`);
    const dir = await mkdtemp(join(tmpdir(), 'tessera-bench-render-'));
    const upstream = await startLongUpstream(tokens);
    const app = await startApp({
      port: 0,
      databasePath: join(dir, 'bench.db'),
      webDistDir: WEB_DIST_DIR,
      nodeEnv: 'production',
      seedDemo: true,
      openai: { baseURL: upstream.baseURL, apiKey: 'bench' },
    });
    const browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    });
    try {
      const db = app.database.db;
      // Every model answers from the long upstream.
      app.database.sqlite
        .prepare("update models set provider_id = 'openai', upstream_model = 'bench-long'")
        .run();
      const context = await browser.newContext({
        locale: 'en-US',
        baseURL: app.url,
        viewport: { width: 1280, height: 900 },
      });
      const page = await context.newPage();
      page.setDefaultTimeout(30_000);
      await page.goto('/sign-up');
      await page.getByTestId('signup-email').fill('bench@example.com');
      await page.getByTestId('signup-password').fill('mosaic-tiles-42');
      await page.getByTestId('signup-submit').click();
      await page.waitForURL('**/chat');
      // Enterprise (16k output tokens) and credits enough for the whole answer.
      const user = getUserByEmail(db, 'bench@example.com');
      const enterprise = getMarkByKey(db, 'enterprise');
      if (!enterprise) throw new Error('the demo catalog has no enterprise mark');
      const now = new Date();
      grantMark(db, {
        userId: user.id,
        markId: enterprise.id,
        days: 1,
        source: 'admin',
        actorUserId: null,
        now,
      });
      adjustCredits(db, {
        userId: user.id,
        mode: 'set',
        amount: 100_000_000,
        reason: 'bench',
        actorUserId: null,
        now,
      });
      await page.addInitScript({ content: RECORD_FRAMES });
      await page.reload();
      await page.getByTestId('chat-welcome').waitFor();
      // The renderer chunk is preloaded by the chat page; let it settle before measuring.
      await page.waitForLoadState('networkidle');

      log(
        `  streaming ${TOKENS} tokens at ${TOKENS_PER_SECOND}/s (≈ ${TOKENS / TOKENS_PER_SECOND} s)…`,
      );
      const textarea = page.getByTestId('chat-sender').locator('textarea');
      await textarea.fill('Write a long guide to laying mosaics');
      await textarea.press('Enter');
      await page.locator('[data-testid="chat-answer"][data-phase="streaming"]').waitFor();
      await page.getByTestId('answer-markdown').waitFor();
      const started = (await page.evaluate('performance.now()')) as number;
      await page
        .locator('[data-testid="chat-answer"][data-phase="complete"]')
        .waitFor({ timeout: (TOKENS / TOKENS_PER_SECOND) * 1000 + 60_000 });
      const ended = (await page.evaluate('performance.now()')) as number;
      // Observers deliver entries asynchronously: give them a frame or two.
      await page.waitForTimeout(300);
      const report = (await page.evaluate(readFrames(started, ended))) as FrameReport;
      await context.close();

      const worstLoaf = Math.max(0, ...report.loaf);
      const worstTask = Math.max(0, ...report.longtasks);
      const sortedGaps = [...report.rafGaps].sort((a, b) => a - b);
      const gapAt = (p: number) =>
        sortedGaps[Math.min(sortedGaps.length - 1, Math.floor((p / 100) * sortedGaps.length))] ?? 0;
      const worstGap = sortedGaps.at(-1) ?? 0;
      if (!report.supported.loaf && !report.supported.longtask)
        throw new Error('this Chromium reports neither long animation frames nor long tasks');
      // The verdict is the Performance API's longest frame (LoAF), else the longest long task.
      const longest = report.supported.loaf ? worstLoaf : worstTask;
      const pass = longest <= TARGET_FRAME_MS;
      const lines = [
        `  stream on screen ${ms(report.streamMs)}, ${report.frames} frames painted, ${report.chars.toLocaleString('en-US')} characters rendered`,
        `  long animation frames (> 50 ms): ${report.loaf.length}${report.supported.loaf ? '' : ' (not supported)'}, longest ${ms(worstLoaf)}`,
        `  long tasks (> 50 ms): ${report.longtasks.length}${report.supported.longtask ? '' : ' (not supported)'}, longest ${ms(worstTask)}`,
        `  rAF gaps p50 ${ms(gapAt(50))}, p99 ${ms(gapAt(99))}, max ${ms(worstGap)} (headless: includes idle frames)`,
        `  longest frame ${ms(longest)} (target ≤ ${TARGET_FRAME_MS} ms)  ${pass ? 'PASS' : 'MISS'}`,
        machineLoad(),
      ];
      if (!pass || explain) {
        lines.push('  the longest frames (style + layout, then the scripts that ran in them):');
        for (const frame of report.worst) {
          const scripts = frame.scripts
            .filter((x) => x.ms >= 5)
            .map((x) => `${x.what.trim()} ${x.ms} ms`)
            .join('; ');
          lines.push(
            `    ${ms(frame.duration)}: layout ${ms(frame.layout)}; ${scripts || 'no script ≥ 5 ms'}`,
          );
        }
      }
      return {
        heading: `(${TOKENS} tokens at ${TOKENS_PER_SECOND}/s, Chromium ${browser.version()}, built SPA)`,
        lines,
        ratio: longest / TARGET_FRAME_MS,
        target: { atMost: 1 },
        pass,
      };
    } finally {
      await browser.close();
      await app.close();
      await new Promise((resolve) => upstream.server.close(resolve));
      await rm(dir, { recursive: true, force: true });
    }
  },
};
