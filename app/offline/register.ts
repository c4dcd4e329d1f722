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
  // Once the page has loaded and the main thread is idle: precaching must not compete with the first bundle.
  const whenIdle = () => (typeof requestIdleCallback === 'function' ? requestIdleCallback(() => void register(), { timeout: 5000 }) : setTimeout(() => void register(), 1000));
  if (document.readyState === 'complete') whenIdle();
  else window.addEventListener('load', whenIdle, { once: true });
}
