import { defineConfig } from 'vite';
import { emojiCataloguePlugin } from './emoji-catalogue.ts';

// Built into dist/ and served by the gateway itself (server/transport/http/web.ts), so the page,
// the API and Socket.IO share one origin. `npm run dev:web` proxies to a gateway on :3000.
export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [emojiCataloguePlugin()],
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: { outDir: 'dist', emptyOutDir: true, target: 'es2022', sourcemap: true },
  server: {
    proxy: {
      '/v1': 'http://localhost:3000',
      '/socket.io': { target: 'ws://localhost:3000', ws: true },
    },
  },
});
