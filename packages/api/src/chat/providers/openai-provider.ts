// Any OpenAI-compatible endpoint (OpenAI, Ollama, vLLM, OpenRouter, LM Studio) through the
// official SDK, streaming, with the usage block requested so billing uses the provider's counts.
// Tools, tool calls, images and sampling parameters pass through as the client sent them.
import OpenAI from 'openai';
import type { ChatCompletionMessageParam } from 'openai/resources/chat/completions';
import { httpFetch } from './http-fetch.ts';
import type {
  ChatProvider,
  FinishReason,
  ProviderEvent,
  ProviderMessage,
  ProviderRequest,
} from './types.ts';

export interface OpenAIProviderOptions {
  id?: string;
  baseURL: string;
  apiKey: string;
  /** Attempts on connection errors before the first byte (the SDK's own retry). */
  maxRetries?: number;
}

/** Our message as OpenAI's wire format has it. */
export function toOpenAIMessage(m: ProviderMessage): ChatCompletionMessageParam {
  const name = m.name === undefined ? {} : { name: m.name };
  switch (m.role) {
    case 'tool':
      return { role: 'tool', content: m.content, tool_call_id: m.toolCallId ?? '' };
    case 'assistant':
      return {
        role: 'assistant',
        // OpenAI's own API wants `null` beside tool calls when there is no text.
        content: m.toolCalls && m.content === '' ? null : m.content,
        ...name,
        ...(m.toolCalls ? { tool_calls: m.toolCalls } : {}),
      };
    case 'user':
      return { role: 'user', content: m.parts ?? m.content, ...name };
    default:
      return { role: 'system', content: m.content, ...name };
  }
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
          // The client's parameters first: what the engine decides (model, cap, streaming) wins.
          ...(request.options as Partial<OpenAI.ChatCompletionCreateParamsStreaming>),
          model: request.model,
          messages: request.messages.map(toOpenAIMessage),
          max_tokens: request.maxOutputTokens,
          stream: true,
          stream_options: { include_usage: true },
        },
        { signal: request.signal },
      );
      for await (const chunk of stream) {
        const choice = chunk.choices[0];
        const text = choice?.delta?.content;
        if (text) yield { type: 'delta', text };
        for (const call of choice?.delta?.tool_calls ?? []) {
          yield {
            type: 'tool_call',
            index: call.index,
            ...(call.id ? { id: call.id } : {}),
            ...(call.function?.name ? { name: call.function.name } : {}),
            ...(call.function?.arguments ? { arguments: call.function.arguments } : {}),
          };
        }
        if (choice?.finish_reason)
          yield { type: 'finish', reason: choice.finish_reason as FinishReason };
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
