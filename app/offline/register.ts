// window.__tlab (the idle hook) is defined there.
import '../testing/test-hooks.ts';

/**
 * Registers the built site's service worker (sw.js, made at build time) so the app, the dataset indexes and the
 * demos opened once work offline. Not in development (no sw.js there) nor from file:// (no service workers).
 */
export function registerServiceWorker(): void {
  if (!import.meta.env.PROD || !('serviceWorker' in navigator) || location.protocol === 'file:') return;
  const register = () =>
    navigator.serviceWorker.register('./sw.js', { scope: './' }).catch((e: unknown) => {
      console.warn(`offline use unavailable: the service worker did not register (${e instanceof Error ? e.message : String(e)})`);
    });
  // Only once the page's first bundle has loaded and its charts are drawn (the test hooks' idle), then when the main
  // thread is free: precaching the build's ~17 MB beside the first load cost ~400 ms of its first chart (npm run
  // bench -- --only load: sysbench-cpu 401 ms to first chart with the worker registering during the load, 222 ms
  // without). The pause lets the load that the page starts after 'load' begin first.
  const afterFirstLoad = () =>
    setTimeout(() => {
      void window.__tlab.waitForIdle().then(() => {
        if (typeof requestIdleCallback === 'function') requestIdleCallback(() => void register(), { timeout: 5000 });
        else void register();
      });
    }, 1000);
  if (document.readyState === 'complete') afterFirstLoad();
  else window.addEventListener('load', afterFirstLoad, { once: true });
}
