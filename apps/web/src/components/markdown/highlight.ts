// Syntax highlighting with Shiki, in a Web Worker (highlight.worker.ts), loaded piece by piece: the
// worker starts with the first code block, then fetches each grammar the first time a block in
// that language appears (one small chunk per language, never the whole catalogue). Until the
// colours arrive a block shows as plain text in the same box, so nothing moves when they do.

/**
 * The languages the worker has a grammar for. The worker's loader map is typed by this list, so
 * the two cannot drift apart (the main thread must not import the worker's module itself).
 */
export const GRAMMAR_IDS = [
  'bash',
  'c',
  'cpp',
  'csharp',
  'css',
  'diff',
  'dockerfile',
  'go',
  'html',
  'java',
  'javascript',
  'json',
  'jsx',
  'kotlin',
  'php',
  'python',
  'ruby',
  'rust',
  'sql',
  'swift',
  'toml',
  'tsx',
  'typescript',
  'xml',
  'yaml',
] as const;
export type GrammarId = (typeof GRAMMAR_IDS)[number];
const KNOWN: ReadonlySet<string> = new Set(GRAMMAR_IDS);

const ALIASES: Record<string, string> = {
  cs: 'csharp',
  'c++': 'cpp',
  docker: 'dockerfile',
  golang: 'go',
  js: 'javascript',
  mjs: 'javascript',
  cjs: 'javascript',
  kt: 'kotlin',
  py: 'python',
  rb: 'ruby',
  rs: 'rust',
  sh: 'bash',
  shell: 'bash',
  shellscript: 'bash',
  zsh: 'bash',
  console: 'bash',
  ts: 'typescript',
  mts: 'typescript',
  cts: 'typescript',
  yml: 'yaml',
  svg: 'xml',
};

/** Shiki's id for a fence's info string, or null when the SPA has no grammar for it. */
export function grammarFor(lang: string | undefined): string | null {
  if (!lang) return null;
  const key = lang.toLowerCase();
  const id = ALIASES[key] ?? key;
  return KNOWN.has(id) ? id : null;
}

export interface Token {
  content: string;
  color: string | undefined;
  italic: boolean;
}
export interface HighlightRequest {
  id: number;
  code: string;
  grammar: string;
}
export interface HighlightReply {
  id: number;
  tokens: Token[][] | null;
}

let worker: Worker | null = null;
let nextId = 0;
const pending = new Map<number, { resolve: (tokens: Token[][]) => void; reject: () => void }>();

function highlighter(): Worker {
  if (!worker) {
    worker = new Worker(new URL('./highlight.worker.ts', import.meta.url), { type: 'module' });
    worker.onmessage = (event: MessageEvent<HighlightReply>) => {
      const waiting = pending.get(event.data.id);
      pending.delete(event.data.id);
      if (!waiting) return;
      if (event.data.tokens) waiting.resolve(event.data.tokens);
      else waiting.reject();
    };
  }
  return worker;
}

/** The code's tokens, line by line, once the worker has the grammar. */
export function highlight(code: string, grammar: string): Promise<Token[][]> {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject: () => reject(new Error(`could not highlight ${grammar}`)) });
    highlighter().postMessage({ id, code, grammar } satisfies HighlightRequest);
  });
}
