import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { cspPlugin } from './scripts/csp.ts';
import { serviceWorkerPlugin } from './scripts/service-worker.ts';

// base './' makes the built site work from any path (the hosted demo lives under a sub-path).
export default defineConfig({
  base: './',
  // The built index.html carries a strict Content-Security-Policy (scripts/csp.ts); sw.js makes the built site
  // work offline after the first visit (scripts/service-worker.ts).
  plugins: [react(), cspPlugin(), serviceWorkerPlugin()],
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    chunkSizeWarningLimit: 4096,
  },
  server: { host: '127.0.0.1', port: 5173 },
  preview: { host: '127.0.0.1', port: 4173 },
  test: {
    include: ['core/**/*.test.ts', 'collector-cli/**/*.test.ts', 'workers/**/*.test.ts', 'scripts/**/*.test.ts', 'app/**/*.test.ts'],
    environment: 'node',
    setupFiles: ['scripts/vitest-setup.ts'],
    testTimeout: 60_000,
  },
});
