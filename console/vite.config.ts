// The console is served by the Express app at /admin (src/http/console-app.ts); the build lands in
// console/dist with hashed asset names and no inline script (the CSP allows none).
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

export default defineConfig({
  root: import.meta.dirname,
  base: '/admin/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Nothing inlined as data: URLs beyond what the CSP's img-src allows; no module-preload polyfill script.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
});
