import { fileURLToPath } from 'node:url';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/** The console is served by opencase at /console/ (src/console/routes.ts), from dist/web. */
export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/console/',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/web', import.meta.url)),
    emptyOutDir: true,
    // The first load's budget (issue 16) is checked by the browser test; Vite's own warning stays at its default.
    sourcemap: false,
  },
  // `npx vite --config web/vite.config.ts` for development: the API is the opencase server on 8080.
  server: { proxy: { '/opencase': 'http://127.0.0.1:8080', '/service': 'http://127.0.0.1:8080' } },
});
