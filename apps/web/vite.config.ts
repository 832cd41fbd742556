import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const API_ORIGIN = process.env.TESSERA_API_ORIGIN ?? 'http://127.0.0.1:3000';
/** Everything the Node server answers; the dev server forwards these and serves the SPA. */
const PROXIED_PATHS = ['/trpc', '/healthz', '/v1', '/api'];

/**
 * The answer renderer's packages (react-markdown and the unified/micromark family, KaTeX, Shiki's
 * core): one chunk, fetched with the first answer (Markdown.tsx is React.lazy), never with the
 * main bundle. Only packages nothing else in the SPA uses are listed, so no page needs this chunk.
 */
const MARKDOWN_STACK =
  /node_modules[\\/](react-markdown|remark-[^\\/]+|rehype-katex|micromark[^\\/]*|mdast-util-[^\\/]+|hast-util-(from-dom|from-html|from-html-isomorphic|from-parse5|to-html|to-jsx-runtime|to-text|whitespace)|unist-util-[^\\/]+|unified|vfile[^\\/]*|katex|shiki|@shikijs[\\/][^\\/]+|oniguruma-[^\\/]+|regex|regex-recursion|regex-utilities|bail|ccount|character-entities-html4|devlop|entities|escape-string-regexp|estree-util-is-identifier-name|extend|html-url-attributes|html-void-elements|inline-style-parser|is-plain-obj|longest-streak|markdown-table|parse5|stringify-entities|style-to-object|trim-lines|trough|web-namespaces|zwitch|dequal|@ungap[\\/]structured-clone)[\\/]/;
/** Shiki's core and regex engine: fetched with the first code block, not with every answer. */
const HIGHLIGHTER =
  /node_modules[\\/](shiki|@shikijs[\\/][^\\/]+|oniguruma-[^\\/]+|regex|regex-recursion|regex-utilities)[\\/]/;
/** Shiki's grammars and themes: one small chunk each, fetched when a code block needs it. */
const SHIKI_ON_DEMAND = /(@shikijs[\\/](langs|themes)|shiki[\\/]dist[\\/](langs|themes))[\\/]/;

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  plugins: [react()],
  server: {
    port: 5173,
    strictPort: true,
    proxy: Object.fromEntries(
      PROXIED_PATHS.map((path) => [path, { target: API_ORIGIN, changeOrigin: false }]),
    ),
  },
  // The highlighter's worker imports each grammar on demand: ES module workers keep those chunks.
  worker: { format: 'es' },
  build: {
    outDir: fileURLToPath(new URL('./dist', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    // antd alone is ~900 kB minified; split vendors so app changes do not bust their cache.
    chunkSizeWarningLimit: 1000,
    rolldownOptions: {
      output: {
        codeSplitting: {
          groups: [
            {
              name: 'react',
              test: /node_modules[\\/](react|react-dom|react-router|scheduler)[\\/]/,
            },
            {
              name: 'antd',
              // Not @ant-design/x: the group below keeps it apart (antd would pass 1 MB).
              test: /node_modules[\\/](antd|@ant-design[\\/](?!x[\\/])[^\\/]+|@rc-component|rc-[^\\/]+)[\\/]/,
            },
            // Ant Design X (the chat's bubbles, sender, conversations): only the parts we import.
            { name: 'antd-x', test: /node_modules[\\/]@ant-design[\\/]x[\\/]/ },
            // recharts and what only it uses: its own chunk, fetched when a money view opens
            // (RevenueChart is React.lazy); the catch-all below would load it with every page.
            {
              name: 'charts',
              test: /node_modules[\\/](recharts|victory-vendor|d3-[^\\/]+|internmap|@reduxjs[\\/]toolkit|react-redux|redux|redux-thunk|immer|reselect|decimal\.js-light|es-toolkit|eventemitter3|tiny-invariant)[\\/]/,
            },
            {
              name: 'highlighter',
              test: (id: string) => HIGHLIGHTER.test(id) && !SHIKI_ON_DEMAND.test(id),
            },
            {
              name: 'markdown',
              test: (id: string) => MARKDOWN_STACK.test(id) && !SHIKI_ON_DEMAND.test(id),
            },
            {
              name: 'vendor',
              test: (id: string) => /node_modules[\\/]/.test(id) && !SHIKI_ON_DEMAND.test(id),
            },
          ],
        },
      },
    },
  },
});
