import { defineConfig } from '@playwright/test';
import { enableRelaxedSimd } from './collector-cli/src/relaxed-simd.ts';

// Tests that compare the app with Node run the engine in this process too: the same relaxed-SIMD kernels as Chromium.
enableRelaxedSimd();

// Debian's Chromium: Playwright's own browser download is not reachable from our machines.
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--enable-unsafe-webgpu',
];
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: 'e2e',
  testMatch: '**/*.spec.ts',
  outputDir: 'e2e/artifacts/results',
  timeout: 120_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  retries: 0,
  reporter: [['list'], ['html', { outputFolder: 'e2e/artifacts/report', open: 'never' }]],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    screenshot: 'on',
    trace: 'retain-on-failure',
    // The built site registers a service worker (offline use); only e2e/offline.spec.ts lets it run, so no other
    // test is answered from a cache.
    serviceWorkers: 'block',
    launchOptions: { executablePath: CHROMIUM, args: CHROMIUM_ARGS },
  },
  // The built site (vite build), served as the hosted demo would be.
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 60_000,
  },
});
