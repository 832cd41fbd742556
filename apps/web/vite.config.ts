import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const API_ORIGIN = process.env.TESSERA_API_ORIGIN ?? 'http://127.0.0.1:3000';
/** Everything the Node server answers; the dev server forwards these and serves the SPA. */
const PROXIED_PATHS = ['/trpc', '/healthz', '/v1', '/api'];

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
            { name: 'vendor', test: /node_modules[\\/]/ },
          ],
        },
      },
    },
  },
});
