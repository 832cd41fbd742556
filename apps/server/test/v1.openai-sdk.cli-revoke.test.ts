// /v1 through the official openai SDK: an answer streaming to an API client is cut off when
// `pnpm tessera mark:revoke` runs in another process (the outbox is tailed across processes), and
// the SDK raises the typed error. Its own file because the admin CLI opens the SQLite file only,
// so this test is not on the PostgreSQL list (tests-on-postgres.ts) yet.
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import OpenAI from 'openai';
import { afterEach, describe, expect, it } from 'vitest';
import { enterpriseApiMember, startTestServer, type TestServer } from './harness.ts';

const run = promisify(execFile);
const serverDir = fileURLToPath(new URL('..', import.meta.url));

describe('/v1 through the official openai SDK, revoked by the CLI', () => {
  let server: TestServer;
  afterEach(() => server.stop());

  it('cuts a stream off when `pnpm tessera mark:revoke` runs in another process', async () => {
    // Slow enough that the answer outlasts a CLI process's start-up even on a loaded machine.
    server = await startTestServer({ seedDemo: true, demoTokensPerSecond: 8 });
    const { client } = await enterpriseApiMember(server, { credits: 50_000_000 });
    const stream = await client.chat.completions.create({
      model: 'tessera-plus',
      messages: [{ role: 'user', content: 'long answer' }],
      stream: true,
    });
    let chunks = 0;
    let revokeExitedAt = 0;
    let chunksAfterCli = 0;
    let cli: Promise<unknown> | undefined;
    const error = await (async () => {
      for await (const chunk of stream) {
        if (chunk.choices[0]?.delta?.content) chunks++;
        if (revokeExitedAt) chunksAfterCli++;
        if (chunks === 2 && !cli) {
          cli = run(
            process.execPath,
            [
              '--import',
              'tsx',
              'src/cli.ts',
              'mark:revoke',
              'dev@example.com',
              'enterprise',
              '--reason',
              'test',
            ],
            {
              cwd: serverDir,
              env: { ...process.env, ...server.storage.env },
            },
          ).then(() => {
            revokeExitedAt = Date.now();
          });
        }
      }
    })().catch((e: unknown) => e);
    await cli;
    expect(error).toBeInstanceOf(OpenAI.APIError);
    expect(error).toMatchObject({ type: 'cut_off', code: 'model_not_in_plan' });
    // The stream ends before (or within a chunk of) the CLI process exiting.
    expect(chunksAfterCli).toBeLessThanOrEqual(1);
  }, 60_000);
});
