// Which backend serves a model. Models without a provider use the built-in demo; models whose
// provider is `openai` use the endpoint configured by OPENAI_BASE_URL / OPENAI_API_KEY.
import type { ChatProvider } from './types.ts';

export interface ProviderRegistry {
  forModel(model: { id: string; providerId: string | null }): ChatProvider | null;
}

export function createProviderRegistry(providers: {
  demo: ChatProvider;
  byId?: Record<string, ChatProvider>;
}): ProviderRegistry {
  return {
    forModel(model) {
      if (model.providerId === null) return providers.demo;
      return providers.byId?.[model.providerId] ?? null;
    },
  };
}
