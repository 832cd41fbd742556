// Shiki off the main thread: this worker loads the highlighter core, the theme and each grammar the
// first time a block needs it (one chunk per language), and answers with plain token arrays. Compiling
// a grammar and tokenizing a growing block take tens of milliseconds: here they never delay a frame.
import type { HighlighterCore, ThemedToken } from 'shiki/core';
import type { GrammarId, HighlightReply, HighlightRequest } from './highlight.ts';

type Loader = () => Promise<{ default: unknown }>;

const THEME = 'github-light';

/** The grammars the SPA can fetch, by Shiki's id. Each `import()` becomes its own chunk. */
const GRAMMARS: Record<GrammarId, Loader> = {
  bash: () => import('shiki/langs/bash.mjs'),
  c: () => import('shiki/langs/c.mjs'),
  cpp: () => import('shiki/langs/cpp.mjs'),
  csharp: () => import('shiki/langs/csharp.mjs'),
  css: () => import('shiki/langs/css.mjs'),
  diff: () => import('shiki/langs/diff.mjs'),
  dockerfile: () => import('shiki/langs/dockerfile.mjs'),
  go: () => import('shiki/langs/go.mjs'),
  html: () => import('shiki/langs/html.mjs'),
  java: () => import('shiki/langs/java.mjs'),
  javascript: () => import('shiki/langs/javascript.mjs'),
  json: () => import('shiki/langs/json.mjs'),
  jsx: () => import('shiki/langs/jsx.mjs'),
  kotlin: () => import('shiki/langs/kotlin.mjs'),
  php: () => import('shiki/langs/php.mjs'),
  python: () => import('shiki/langs/python.mjs'),
  ruby: () => import('shiki/langs/ruby.mjs'),
  rust: () => import('shiki/langs/rust.mjs'),
  sql: () => import('shiki/langs/sql.mjs'),
  swift: () => import('shiki/langs/swift.mjs'),
  toml: () => import('shiki/langs/toml.mjs'),
  tsx: () => import('shiki/langs/tsx.mjs'),
  typescript: () => import('shiki/langs/typescript.mjs'),
  xml: () => import('shiki/langs/xml.mjs'),
  yaml: () => import('shiki/langs/yaml.mjs'),
};

let core: Promise<HighlighterCore> | null = null;
const loaded = new Map<string, Promise<void>>();

function highlighter(): Promise<HighlighterCore> {
  core ??= (async () => {
    const [{ createHighlighterCore }, { createJavaScriptRegexEngine }, theme] = await Promise.all([
      import('shiki/core'),
      import('shiki/engine/javascript'),
      import('shiki/themes/github-light.mjs'),
    ]);
    return createHighlighterCore({
      themes: [theme.default],
      langs: [],
      engine: createJavaScriptRegexEngine({ forgiving: true }),
    });
  })();
  return core;
}

async function withGrammar(id: string): Promise<HighlighterCore> {
  const shiki = await highlighter();
  let grammar = loaded.get(id);
  if (!grammar) {
    // The id comes from another thread's message: check it rather than trust the type.
    const load = (GRAMMARS as Record<string, Loader | undefined>)[id];
    if (!load) throw new Error(`no grammar ${id}`);
    const loading = load().then((module) =>
      shiki.loadLanguage(module.default as Parameters<HighlighterCore['loadLanguage']>[0]),
    );
    loaded.set(id, loading);
    grammar = loading;
  }
  await grammar;
  return shiki;
}

/** The code's tokens, line by line, once the highlighter and the grammar are loaded. */
async function highlight(code: string, grammar: string): Promise<ThemedToken[][]> {
  const shiki = await withGrammar(grammar);
  return shiki.codeToTokens(code, { lang: grammar, theme: THEME }).tokens;
}

self.onmessage = async (event: MessageEvent<HighlightRequest>) => {
  const { id, code, grammar } = event.data;
  let reply: HighlightReply;
  try {
    const lines = await highlight(code, grammar);
    reply = {
      id,
      tokens: lines.map((line: ThemedToken[]) =>
        line.map((token) => ({
          content: token.content,
          color: token.color,
          italic: token.fontStyle === 1,
        })),
      ),
    };
  } catch {
    reply = { id, tokens: null };
  }
  self.postMessage(reply);
};
