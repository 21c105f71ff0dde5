/// <reference lib="webworker" />
// AURA's service worker: precaches the app shell, the engine WASM and the model so the app works offline,
// caches the onnxruntime WASM on first use, and adds the cross-origin-isolation headers (COOP/COEP) to what
// it serves, so threaded WASM works on static hosts that cannot set headers (GitHub Pages and the like).
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { CacheFirst, NetworkOnly } from 'workbox-strategies';
import { ExpirationPlugin } from 'workbox-expiration';
import { CacheableResponsePlugin } from 'workbox-cacheable-response';
import type { WorkboxPlugin } from 'workbox-core';
import type { PrecacheEntry } from 'workbox-precaching';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (string | PrecacheEntry)[] };

/**
 * COOP + COEP make the page cross-origin isolated (SharedArrayBuffer, threaded WASM). require-corp only
 * restricts no-cors subresources from other origins; the app loads none, and its Prometheus requests are
 * CORS requests, which COEP lets through.
 */
function withIsolation(response: Response): Response {
  // Opaque and error responses cannot be rewritten; an isolated page would refuse an opaque one anyway.
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  headers.set('Cross-Origin-Opener-Policy', 'same-origin');
  headers.set('Cross-Origin-Embedder-Policy', 'require-corp');
  headers.set('Cross-Origin-Resource-Policy', 'same-origin');
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => withIsolation(response),
};

// Every precached response (the shell, worker scripts, WASM, model) goes out with the isolation headers:
// dedicated workers of an isolated page must carry COEP themselves.
addPlugins([isolation]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();

// The app is one page: every navigation inside the scope gets the precached index.html.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));

// onnxruntime's WASM (>10 MB) is fetched once, on first inference, then served from this cache.
registerRoute(
  ({ url, sameOrigin }) => sameOrigin && /\/ort-wasm[^/]*\.wasm$/.test(url.pathname),
  new CacheFirst({
    cacheName: 'aura-ort-wasm',
    plugins: [
      new CacheableResponsePlugin({ statuses: [200] }),
      new ExpirationPlugin({ maxEntries: 4, purgeOnQuotaError: true }),
      isolation,
    ],
  }),
);

// Anything else of our own (e.g. a file added after the build) still gets the headers; other origins
// (a Prometheus server) are left alone so CORS behaves exactly as without the worker.
registerRoute(
  ({ sameOrigin, request }) => sameOrigin && request.method === 'GET',
  new NetworkOnly({ plugins: [isolation] }),
);

// The page decides when a waiting version takes over (src/ui/pwa/pwa.svelte.ts → UpdateBanner).
self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});

// On the very first install, take control of the open page at once so it is offline-ready without a reload.
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
