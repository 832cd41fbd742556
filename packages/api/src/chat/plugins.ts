// Server-side plugins: each turns the member's message into a task for the model. A request may
// use one only when the member's entitlements list it — checked on the server at admission and
// again whenever the member changes mid-stream, never merely hidden in the UI.
import type { ProviderMessage } from './providers/types.ts';

export interface Plugin {
  id: string;
  name: string;
  description: string;
  /** Wraps the conversation for this task (a system instruction before the user's text). */
  prompt(messages: ProviderMessage[], options: Record<string, string>): ProviderMessage[];
}

const withInstruction = (instruction: string) => (messages: ProviderMessage[]) => [
  { role: 'system' as const, content: instruction },
  ...messages,
];

export const PLUGINS: readonly Plugin[] = [
  {
    id: 'translate',
    name: 'Translate',
    description: 'Translates your message into another language.',
    prompt: (messages, options) =>
      withInstruction(
        `Translate the user's last message into ${options.language ?? 'English'}. Reply with the translation only.`,
      )(messages),
  },
  {
    id: 'summarize',
    name: 'Summarize',
    description: 'Summarizes long text into a few bullet points.',
    prompt: withInstruction(
      "Summarize the user's last message in at most five short bullet points.",
    ),
  },
  {
    id: 'seo-analysis',
    name: 'SEO analysis',
    description: 'Reviews a page or draft for search: title, headings, keywords, readability.',
    prompt: withInstruction(
      "Analyse the user's text for SEO: suggest a title and meta description, check headings and keyword use, and list the three most valuable fixes.",
    ),
  },
];

export function findPlugin(id: string): Plugin | undefined {
  return PLUGINS.find((p) => p.id === id);
}
