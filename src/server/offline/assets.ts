import { layout } from '../pages/html.js';

/**
 * The offline verifier: a static folder (dist/offline-verifier/, written by `npm run build` with
 * scripts/build-offline-verifier.mjs) that verifies credentials and offline bundles entirely in the
 * browser, from the library's browser-safe root entry. `serve` publishes it at /offline/; any static
 * host can serve the folder as it is. After the first visit its service worker keeps every file, so
 * it works with the network off; both need a secure context (https, or localhost).
 */

/** The files of the folder, in the order the service worker caches them. */
export const OFFLINE_FILES = ['index.html', 'app.js', 'manifest.webmanifest', 'icon.svg', 'sw.js'] as const;

/** Bumped with the build so an installed copy picks up a new version (the service worker's cache name). */
export function cacheName(version: string): string {
  return `untp-credits-offline-verifier-${version}`;
}

export function renderOfflineVerifierPage(): string {
  const body = `
<h1>Verify offline</h1>
<p>This page checks credentials and offline bundles on this device. Nothing you open here is sent anywhere: there is no server behind it. After the first visit it keeps itself and works with the network off (on a phone: “Add to home screen”).</p>
<p class="muted">It needs a secure context — open it over <code>https</code>, or on <code>localhost</code> — for the browser to keep it offline.</p>
<h2>1. What you trust</h2>
<p>Import the trust file your registry or buyer gave you, or the DID documents of issuers you know. A bundle is verified only against keys you imported; keys it merely carries are not trusted.</p>
<div class="field noprint">
<label for="trust-files">Trust files and DID documents</label>
<input type="file" id="trust-files" multiple accept=".json,application/json">
</div>
<ul id="trust-list" aria-live="polite"></ul>
<p><button type="button" id="trust-forget">Forget imported trust</button></p>
<h2>2. What to verify</h2>
<form id="offline-form">
<div class="field noprint">
<label for="file">A credential or bundle file</label>
<input type="file" id="file" accept=".json,.jwt,.txt,.jsonld,application/json,application/ld+json,application/vc+jwt,text/plain">
</div>
<div class="field">
<label for="input">Or paste it (JSON or vc+jwt)</label>
<textarea id="input" spellcheck="false" autocapitalize="off" autocomplete="off" placeholder='{"@context": …} or eyJ…'></textarea>
</div>
<p><button type="submit" id="verify-button">Verify</button> <span id="busy" class="muted" role="status"></span></p>
</form>
<section id="result" aria-live="polite" aria-label="Verification result"></section>
<p class="muted" id="offline-state" role="status"></p>
`;
  return layout({
    title: 'Verify offline',
    body,
    demo: false,
    registryName: 'untp-credits offline verifier',
    script: 'app.js',
    head: '<link rel="manifest" href="manifest.webmanifest">\n<meta name="theme-color" content="#1d4d3a">',
    nav: '<a href="./">Verify offline</a>',
  });
}

export const OFFLINE_MANIFEST = {
  name: 'untp-credits offline verifier',
  short_name: 'Verify credits',
  description: 'Verifies mineral-credit credentials and offline bundles on this device, with no network.',
  start_url: './',
  scope: './',
  display: 'standalone',
  background_color: '#ffffff',
  theme_color: '#1d4d3a',
  icons: [{ src: 'icon.svg', sizes: 'any', type: 'image/svg+xml', purpose: 'any' }],
};

export const OFFLINE_ICON = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" rx="12" fill="#1d4d3a"/><path d="M18 33l9 9 19-20" fill="none" stroke="#fff" stroke-width="7" stroke-linecap="round" stroke-linejoin="round"/></svg>
`;

/** The service worker: keeps every file of the folder and answers from that copy first. */
export function serviceWorker(version: string): string {
  return `'use strict';
const CACHE = ${JSON.stringify(cacheName(version))};
const FILES = ${JSON.stringify(['./', ...OFFLINE_FILES.filter((f) => f !== 'sw.js')])};
self.addEventListener('install', (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});
self.addEventListener('activate', (event) => {
  event.waitUntil(
    caches.keys()
      .then((keys) => Promise.all(keys.filter((k) => k.startsWith('untp-credits-offline-verifier-') && k !== CACHE).map((k) => caches.delete(k))))
      .then(() => self.clients.claim()),
  );
});
self.addEventListener('fetch', (event) => {
  if (event.request.method !== 'GET') return;
  event.respondWith(caches.match(event.request, { ignoreSearch: true }).then((hit) => hit || fetch(event.request)));
});
`;
}

/**
 * The page's script, bundled after the verifier (scripts/build-offline-verifier.mjs), so
 * `verifyOffline` is in scope. Imported trust stays in localStorage, on this device only.
 */
export const OFFLINE_APP_SCRIPT = String.raw`
const STORE = 'untp-credits-offline-trust';
const $ = (id) => document.getElementById(id);
const esc = (v) => String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
const loadTrust = () => { try { return JSON.parse(localStorage.getItem(STORE) || '[]'); } catch (e) { return []; } };
const saveTrust = (files) => { try { localStorage.setItem(STORE, JSON.stringify(files)); } catch (e) { /* private mode: kept for this visit */ } };
let trust = loadTrust();

function showTrust() {
  const lines = importTrust(trust).lines;
  $('trust-list').innerHTML = lines.length ? lines.map((l) => '<li>' + esc(l) + '</li>').join('') : '<li class="muted">Nothing imported: bundles will not verify.</li>';
}

async function run(text) {
  if (!text.trim()) { $('result').innerHTML = '<p class="muted">Nothing to verify: choose a file or paste a credential.</p>'; return; }
  $('busy').textContent = 'Verifying…';
  try { $('result').innerHTML = await verifyOffline({ text, trust }); }
  finally { $('busy').textContent = ''; }
}

$('trust-files').addEventListener('change', async (event) => {
  const files = [...(event.target.files || [])];
  trust = trust.concat(await Promise.all(files.map((f) => f.text())));
  saveTrust(trust);
  showTrust();
  event.target.value = '';
});
$('trust-forget').addEventListener('click', () => { trust = []; saveTrust(trust); showTrust(); });
$('file').addEventListener('change', async (event) => {
  const f = event.target.files && event.target.files[0];
  if (!f) return;
  $('input').value = await f.text();
  run($('input').value);
});
$('offline-form').addEventListener('submit', (event) => { event.preventDefault(); run($('input').value); });
showTrust();

if ('serviceWorker' in navigator && window.isSecureContext) {
  navigator.serviceWorker.register('sw.js').then(
    () => navigator.serviceWorker.ready.then(() => { $('offline-state').textContent = 'Kept on this device: works with the network off.'; document.documentElement.dataset.offlineReady = 'true'; }),
    (e) => { $('offline-state').textContent = 'Could not keep the page offline: ' + e.message; },
  );
} else {
  $('offline-state').textContent = 'Not a secure context (https or localhost): the page works now but will not be kept for offline use.';
}
`;
