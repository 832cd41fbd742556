// Which backend serves a model: the built-in demo (no provider), the environment's endpoint
// (`openai`, from OPENAI_BASE_URL), or an endpoint an admin configured (a `providers` row).
import type { Db } from '@tessera/db';
import { createOpenAIProvider } from './openai-provider.ts';
import type { ChatProvider } from './types.ts';

export interface ProviderRegistry {
  forModel(model: { id: string; providerId: string | null }): ChatProvider | null;
}

export function createProviderRegistry(options: {
  demo: ChatProvider;
  byId?: Record<string, ChatProvider>;
  /** Look up admin-configured providers here (clients are cached until the row changes). */
  db?: Db;
}): ProviderRegistry {
  const clients = new Map<string, { updatedAt: number; provider: ChatProvider }>();
  // Every answer on an admin-configured provider reads its row: compiled once.
  const providerRow = options.db?.$client.prepare<
    [string],
    { id: string; base_url: string; api_key: string | null; active: number; updated_at: number }
  >('select id, base_url, api_key, active, updated_at from providers where id = ?');
  return {
    forModel(model) {
      if (model.providerId === null) return options.demo;
      const fixed = options.byId?.[model.providerId];
      if (fixed) return fixed;
      if (!providerRow) return null;
      const row = providerRow.get(model.providerId);
      if (!row?.active) return null;
      const cached = clients.get(row.id);
      if (cached && cached.updatedAt === row.updated_at) return cached.provider;
      const provider = createOpenAIProvider({
        id: row.id,
        baseURL: row.base_url,
        apiKey: row.api_key ?? 'not-needed',
      });
      clients.set(row.id, { updatedAt: row.updated_at, provider });
      return provider;
    },
  };
}
