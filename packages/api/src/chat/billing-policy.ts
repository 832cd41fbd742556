// What a request is charged, by how it ended (the README's billing policy, tested in chat.*):
//   nothing delivered              → nothing charged (the reservation is released)
//   complete, provider usage valid → the provider's usage
//   cut off / aborted / error      → the input, plus the output actually delivered (counted)
//   usage missing or absurd        → counted with the tokenizer
// Settlement then clamps the charge to the reservation.
import { countTokens } from 'gpt-tokenizer';
import { isValidTokenCount } from '../domain/usage/pricing.ts';
import type { ContentPart, ProviderMessage } from './providers/types.ts';

export interface Usage {
  inputTokens: number;
  outputTokens: number;
}

export function countTextTokens(text: string): number {
  return text.length === 0 ? 0 : countTokens(text);
}

export function billableUsage(input: {
  delivered: string;
  countedInputTokens: number;
  providerUsage: Usage | null;
  complete: boolean;
}): Usage {
  if (input.delivered.length === 0) return { inputTokens: 0, outputTokens: 0 };
  const provider = input.providerUsage;
  if (
    input.complete &&
    provider &&
    isValidTokenCount(provider.inputTokens) &&
    isValidTokenCount(provider.outputTokens)
  ) {
    return provider;
  }
  return { inputTokens: input.countedInputTokens, outputTokens: countTextTokens(input.delivered) };
}

/**
 * Tokens an image is estimated at before the provider says (admission's reservation, and the
 * count when a provider reports no usage): OpenAI's figures for one 512 px tile at `low` detail
 * (85) and for a 1024 × 1024 image at `high` (85 + 4 tiles × 170 = 765), which `auto` is taken as.
 * The image's real size is not read (a URL may be remote); a complete answer is billed with the
 * provider's own usage, which counts the image exactly.
 */
export const IMAGE_TOKENS = { low: 85, high: 765, auto: 765 } as const;

/** Per-message overhead in OpenAI's chat format (role and separators). */
const MESSAGE_OVERHEAD = 4;

function partTokens(part: ContentPart): number {
  return part.type === 'text'
    ? countTextTokens(part.text)
    : IMAGE_TOKENS[part.image_url.detail ?? 'auto'];
}

/**
 * The input tokens of a prompt, counted: text, images (by detail), the tool calls of assistant
 * messages and the tool results, and the tool definitions sent along (as their JSON).
 */
export function countPromptTokens(messages: readonly ProviderMessage[], tools?: unknown[]): number {
  let sum = tools && tools.length > 0 ? countTextTokens(JSON.stringify(tools)) : 0;
  for (const m of messages) {
    sum += MESSAGE_OVERHEAD;
    sum += m.parts
      ? m.parts.reduce((n, part) => n + partTokens(part), 0)
      : countTextTokens(m.content);
    if (m.toolCalls) sum += countTextTokens(JSON.stringify(m.toolCalls));
    if (m.name) sum += countTextTokens(m.name);
  }
  return sum;
}
