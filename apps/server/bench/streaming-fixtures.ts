// Shared set-up of the streaming benchmarks: a migrated database copy where an admin has configured
// the fake upstream as a provider (a `providers` row and a priced `models` row that uses it), API
// users who hold Enterprise (API access; the bench model added to its models) and a large balance,
// and the whole product (`startApp`) serving that file in a forked process (streaming.server.ts).
// The benchmark keeps its own connection to the file (grants between rounds); the cut-off benchmark
// revokes from another (lib/revoker.ts), and either reaches the server as a CLI's change would.
import { adjustCredits, createApiKey, getMarkByKey, grantMark, seedDemoData } from '@tessera/api';
import type { AppConfig } from '../src/config.ts';
import { insertUsers } from './credits-fixtures.ts';
import { type BenchDatabase, benchDatabase } from './lib/fixtures.ts';
import { type ServerProcess, startServerProcess } from './lib/server-process.ts';
import type { StreamTarget } from './lib/sse-client.ts';
import type { StreamingServerInfo } from './streaming.server.ts';

/** Our model id, served by the admin-configured provider `bench-upstream`. */
export const BENCH_MODEL = 'bench-model';
/** The model name the provider is asked for (`models.upstream_model`). */
export const UPSTREAM_MODEL = 'fake-model';
const PROVIDER_ID = 'bench-upstream';
const BALANCE = 1_000_000_000;

export interface ApiUser {
  id: string;
  key: string;
}

export interface StreamingFixture {
  database: BenchDatabase;
  users: ApiUser[];
  enterpriseMarkId: string;
  /** Grants Enterprise again (for the next round of a cut-off benchmark). */
  grant(userId: string): void;
}

/**
 * A database where `users` API users may stream `BENCH_MODEL` from `upstreamBaseURL`. Users are
 * inserted with set-based SQL (argon2 sign-ups would take seconds each); everything they hold is
 * granted through the domain calls: the free tier and Enterprise with `grantMark`, the balance
 * with `adjustCredits`, the key with `createApiKey`.
 */
export function streamingDatabase(upstreamBaseURL: string, users: number): StreamingFixture {
  const database = benchDatabase();
  const { db, sqlite } = database;
  try {
    const now = new Date();
    seedDemoData(db, now);
    sqlite
      .prepare(
        `insert into providers (id, name, base_url, api_key, active, created_at, updated_at)
         values (@id, 'Bench upstream', @baseUrl, 'bench-key', 1, @now, @now)`,
      )
      .run({ id: PROVIDER_ID, baseUrl: upstreamBaseURL, now: now.getTime() });
    // Priced like tessera-plus.
    sqlite
      .prepare(
        `insert into models (id, display_name, input_price_per_million, output_price_per_million,
           provider_id, upstream_model, active, created_at)
         values (@id, 'Bench model', 500000, 2000000, @provider, @upstream, 1, @now)`,
      )
      .run({
        id: BENCH_MODEL,
        provider: PROVIDER_ID,
        upstream: UPSTREAM_MODEL,
        now: now.getTime(),
      });
    sqlite
      .prepare(
        "update marks set entitlements = json_insert(entitlements, '$.models[#]', ?) where key = 'enterprise'",
      )
      .run(BENCH_MODEL);
    const free = getMarkByKey(db, 'free');
    const enterprise = getMarkByKey(db, 'enterprise');

    insertUsers(sqlite, users, 0);
    const ids = sqlite
      .prepare<[], { id: string }>('select id from users order by id')
      .all()
      .map((r) => r.id);
    // One outer transaction: the domain calls' own transactions become savepoints, one commit.
    const apiUsers = sqlite.transaction(() =>
      ids.map((userId) => {
        const common = { userId, actorUserId: null, now };
        grantMark(db, { ...common, markId: free.id, days: null, source: 'signup' });
        grantMark(db, { ...common, markId: enterprise.id, days: 30, source: 'admin' });
        adjustCredits(db, { ...common, mode: 'add', amount: BALANCE, reason: 'bench' });
        const { key } = createApiKey(db, { ...common, name: 'bench' });
        return { id: userId, key };
      }),
    )();
    return {
      database,
      users: apiUsers,
      enterpriseMarkId: enterprise.id,
      grant(userId) {
        const grant = () =>
          grantMark(db, {
            userId,
            markId: enterprise.id,
            days: 30,
            source: 'admin',
            actorUserId: null,
            now: new Date(),
          });
        sqlite.transaction(grant).immediate();
      },
    };
  } catch (error) {
    database.destroy();
    throw error;
  }
}

/** Tessera (`startApp`) on 127.0.0.1 in a forked process, serving the fixture's database file. */
export function startTessera(
  databasePath: string,
  options: {
    execArgv?: string[];
    /** App settings a benchmark changes; `redis` for several instances (cutoff-instances). */
    settings?: { chatResumeGraceMs?: number; redis?: AppConfig['redis'] };
  } = {},
): Promise<ServerProcess<StreamingServerInfo>> {
  return startServerProcess<StreamingServerInfo>(
    new URL('./streaming.server.ts', import.meta.url),
    {
      args: [databasePath, JSON.stringify(options.settings ?? {})],
      execArgv: options.execArgv,
    },
  );
}

/** `POST /v1/chat/completions` on Tessera with a user's API key. */
export function tesseraTarget(origin: string, user: ApiUser): StreamTarget {
  return {
    origin,
    path: '/v1/chat/completions',
    headers: { authorization: `Bearer ${user.key}` },
  };
}

/** The same call made to the fake upstream directly (what Tessera's provider sends it). */
export function directTarget(origin: string): StreamTarget {
  return {
    origin,
    path: '/v1/chat/completions',
    headers: { authorization: 'Bearer bench-key' },
  };
}

/** A completion request body; `model` differs by side (ours vs the upstream's name). */
export function completionBody(model: string, maxTokens: number): Record<string, unknown> {
  return {
    model,
    messages: [
      { role: 'system', content: 'You are a benchmark. Answer at length.' },
      { role: 'user', content: 'Tell me about the quick brown fox, in as many words as you like.' },
    ],
    stream_options: { include_usage: true },
    max_tokens: maxTokens,
  };
}
