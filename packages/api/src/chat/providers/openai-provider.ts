// Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, OpenRouter, LM Studio) through the
// official SDK, streaming, with the usage block requested so billing uses the provider's counts.
import OpenAI from 'openai';
import { httpFetch } from './http-fetch.ts';
import type { ChatProvider, ProviderEvent, ProviderRequest } from './types.ts';

export interface OpenAIProviderOptions {
  id?: string;
  baseURL: string;
  apiKey: string;
  /** Attempts on connection errors before the first byte (the SDK's own retry). */
  maxRetries?: number;
}

export function createOpenAIProvider(options: OpenAIProviderOptions): ChatProvider {
  const client = new OpenAI({
    baseURL: options.baseURL,
    apiKey: options.apiKey,
    maxRetries: options.maxRetries ?? 1,
    fetch: httpFetch,
  });
  return {
    id: options.id ?? 'openai',
    async *stream(request: ProviderRequest): AsyncIterable<ProviderEvent> {
      const stream = await client.chat.completions.create(
        {
          model: request.model,
          messages: request.messages,
          max_tokens: request.maxOutputTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: request.signal },
      );
      for await (const chunk of stream) {
        const text = chunk.choices[0]?.delta?.content;
        if (text) yield { type: 'delta', text };
        const finish = chunk.choices[0]?.finish_reason;
        if (finish === 'length' || finish === 'stop') yield { type: 'finish', reason: finish };
        if (chunk.usage) {
          yield {
            type: 'usage',
            inputTokens: chunk.usage.prompt_tokens,
            outputTokens: chunk.usage.completion_tokens,
          };
        }
      }
    },
  };
}
