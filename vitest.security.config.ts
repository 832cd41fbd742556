// The security suite (`pnpm test:security`): every procedure and route, enumerated at test time,
// against hostile input, other people's ids, the wrong role, cross-site requests and session rules.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: './apps/server',
    include: ['security/**/*.test.ts'],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Long query strings (40 KB) reach the server under test; Node's default refuses them (431).
    execArgv: ['--max-http-header-size=65536'],
  },
});
