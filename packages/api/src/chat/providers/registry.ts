// Which backend serves a model: the built-in demo (no provider), the environment's endpoint
// (`openai`, from OPENAI_BASE_URL), or an endpoint an admin configured (a `providers` row).
import type { Db } from '@tessera/db';
import type { ChatStore } from '../../storage/chats-store.ts';
import { sqliteStoresOf } from '../../storage/stores.ts';
import { createOpenAIProvider } from './openai-provider.ts';
import type { ChatProvider } from './types.ts';

export interface ProviderRegistry {
  forModel(model: { id: string; providerId: string | null }): Promise<ChatProvider | null>;
}

export function createProviderRegistry(options: {
  demo: ChatProvider;
  byId?: Record<string, ChatProvider>;
  /** Look up admin-configured providers here (clients are cached until the row changes). */
  rows?: Pick<ChatStore, 'providerById'>;
  /** The same, from a SQLite database's chat store (`rows` wins when both are given). */
  db?: Db;
}): ProviderRegistry {
  const clients = new Map<string, { updatedAt: number; provider: ChatProvider }>();
  // Every answer on an admin-configured provider reads its row (a prepared statement on SQLite).
  const rows = options.rows ?? (options.db ? sqliteStoresOf(options.db).chats : undefined);
  return {
    async forModel(model) {
      if (model.providerId === null) return options.demo;
      const fixed = options.byId?.[model.providerId];
      if (fixed) return fixed;
      if (!rows) return null;
      const row = await rows.providerById(model.providerId);
      if (!row?.active) return null;
      const cached = clients.get(row.id);
      if (cached && cached.updatedAt === row.updatedAt) return cached.provider;
      const provider = createOpenAIProvider({
        id: row.id,
        baseURL: row.baseUrl,
        apiKey: row.apiKey ?? 'not-needed',
      });
      clients.set(row.id, { updatedAt: row.updatedAt, provider });
      return provider;
    },
  };
}
