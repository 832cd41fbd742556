// What a request is charged, by how it ended (the README's billing policy, tested in chat.*):
//   nothing delivered              → nothing charged (the reservation is released)
//   complete, provider usage valid → the provider's usage
//   cut off / aborted / error      → the input, plus the output actually delivered (counted)
//   usage missing or absurd        → counted with the tokenizer
// Settlement then clamps the charge to the reservation.
import { countTokens } from 'gpt-tokenizer';
import { isValidTokenCount } from '../domain/usage/pricing.ts';

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
