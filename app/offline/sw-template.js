// The site's service worker (built by scripts/service-worker.ts, which fills in the two constants): after the
// first visit the overview, the dataset indexes and the lightest demo open offline, and every lab, worker and
// bundle opened once stays available. One cache per build: a new deploy's worker drops the old caches when it takes
// over, so files that keep their name across deploys (datasets) are never served from an older build.
const VERSION = __VERSION__;
const PRECACHE = __PRECACHE__;
const CACHE = `tlab-${VERSION}`;

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(CACHE)
      .then((cache) => cache.addAll(PRECACHE))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches
      .keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('tlab-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});

const scope = new URL(self.registration.scope);

self.addEventListener('fetch', (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== 'GET' || url.origin !== scope.origin || !url.pathname.startsWith(scope.pathname)) return;
  // Partial reads are not cached (Cache.put refuses 206): the network answers them, or nothing offline.
  if (request.headers.has('range')) return;
  if (request.mode === 'navigate') {
    // The page itself: the network's when there is one (a new deploy shows at once), else the cached shell.
    event.respondWith(
      fetch(request).catch(() => caches.open(CACHE).then((cache) => cache.match('./index.html').then((r) => r ?? Response.error()))),
    );
    return;
  }
  const path = url.pathname.slice(scope.pathname.length);
  if (path.endsWith('.json')) {
    // Indexes and specs: fresh when online, the cached copy offline.
    event.respondWith(
      fetch(request)
        .then((response) => keep(request, response))
        .catch(() => caches.match(request, { cacheName: CACHE }).then((r) => r ?? Response.error())),
    );
    return;
  }
  // Hashed assets and bundles: the cache first (they do not change within a build), then the network.
  event.respondWith(caches.match(request, { cacheName: CACHE }).then((hit) => hit ?? fetch(request).then((response) => keep(request, response))));
});

function keep(request, response) {
  if (response.ok && response.status === 200) {
    const copy = response.clone();
    caches.open(CACHE).then((cache) => cache.put(request, copy));
  }
  return response;
}
