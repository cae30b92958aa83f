import type { RegistryIdentity } from '../identity.js';
import { esc, layout } from './html.js';

/**
 * The web verifier: choose or drop a file, paste, or `?url=` one of this registry's own URLs. The
 * form posts to POST /verify, which answers the verdict rendered on the server by the one verdict
 * renderer (pages/verdict.ts); with script the page swaps the answer in without reloading, without
 * script the form still works (paste and submit).
 */
export function renderVerifierPage(
  identity: RegistryIdentity,
  url: string | undefined,
  filled?: { input: string; resultHtml: string },
): string {
  const body = `
<h1>Verify a credential</h1>
<p>Open a credential file or paste one (JSON, an enveloped credential, or a <code>vc+jwt</code>). Verification runs on this server against the registry's own DID document and status lists; nothing is fetched from elsewhere.</p>
<form id="verify-form" method="post" action="/verify" data-public-url="${esc(identity.publicUrl)}" data-url="${esc(url ?? '')}">
<div class="field noprint" id="file-field" hidden>
<label class="drop" id="drop" for="file"><span>Choose a credential file, or drop one here</span>
<input type="file" id="file" accept=".json,.jwt,.txt,.jsonld,application/json,application/ld+json,application/vc+jwt,text/plain"></label>
</div>
<div class="field">
<label for="input">Credential (JSON or vc+jwt)</label>
<textarea id="input" name="input" spellcheck="false" autocapitalize="off" autocomplete="off" placeholder='{"@context": …} or eyJ…'>${esc(filled?.input ?? '')}</textarea>
</div>
<p><button type="submit" id="verify-button">Verify</button> <span id="busy" class="muted" role="status"></span></p>
</form>
<section id="result" aria-live="polite" aria-label="Verification result">${filled?.resultHtml ?? ''}</section>
`;
  return layout({
    title: 'Verify a credential',
    body,
    demo: identity.demo,
    registryName: identity.name,
    script: '/assets/verifier.js',
  });
}

/**
 * The page's script (vanilla, no build step): reads a chosen or dropped file into the text area,
 * posts the text to POST /verify and shows the verdict the server rendered. It renders no verdict of
 * its own: the only messages it writes itself are about the page (nothing to send, server unreachable).
 */
export const VERIFIER_SCRIPT = String.raw`(() => {
  'use strict';
  const form = document.getElementById('verify-form');
  const input = document.getElementById('input');
  const result = document.getElementById('result');
  const busy = document.getElementById('busy');
  const drop = document.getElementById('drop');
  const file = document.getElementById('file');
  document.getElementById('file-field').hidden = false;
  const esc = (v) => String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const notice = (text) => { result.innerHTML = '<div class="verdict bad" id="verdict" data-outcome="refused"><span class="mark" aria-hidden="true">✘</span> ' + esc(text) + '</div>'; };

  async function verifyText(text) {
    if (!text.trim()) { result.innerHTML = '<p class="muted">Nothing to verify: choose a file or paste a credential.</p>'; return; }
    busy.textContent = 'Verifying…';
    try {
      const response = await fetch('/verify', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'text/html' }, body: JSON.stringify({ input: text }) });
      const html = await response.text();
      if (!response.ok || !(response.headers.get('content-type') || '').startsWith('text/html')) notice('The server refused the request (' + response.status + ').');
      else result.innerHTML = html;
    } catch (e) {
      notice('The server could not be reached: ' + e.message);
    } finally { busy.textContent = ''; }
  }

  async function verifyFile(f) {
    if (!f) return;
    input.value = await f.text();
    verifyText(input.value);
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); verifyText(input.value); });
  file.addEventListener('change', () => verifyFile(file.files && file.files[0]));
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (event) => {
    event.preventDefault(); drop.classList.remove('over');
    verifyFile(event.dataTransfer && event.dataTransfer.files[0]);
  });

  // ?url= opens one of this registry's own URLs only: same origin, or under its public URL (mapped
  // here). Origins are compared parsed, and the path fetched must stay on this origin
  // (a "public URL//elsewhere/x" would otherwise become the protocol-relative //elsewhere/x).
  const url = form.dataset.url;
  if (url) {
    const publicUrl = form.dataset.publicUrl;
    let target;
    try {
      const u = new URL(url, location.href);
      const pub = publicUrl ? new URL(publicUrl) : undefined;
      const base = pub ? pub.pathname.replace(/\/+$/, '') : '';
      let path;
      if (u.origin === location.origin) path = u.pathname + u.search;
      else if (pub && u.origin === pub.origin && u.pathname.startsWith(base + '/')) path = u.pathname.slice(base.length) + u.search;
      if (path !== undefined && /^\/(?![\/\\])/.test(path) && new URL(path, location.origin).origin === location.origin) target = path;
    } catch (e) { target = undefined; }
    if (!target) { notice('Only this registry\'s own URLs can be opened here.'); return; }
    busy.textContent = 'Fetching…';
    fetch(target, { headers: { accept: 'application/json' } })
      .then((r) => r.text())
      .then((text) => { input.value = text; return verifyText(text); })
      .catch((e) => { busy.textContent = ''; notice(e.message); });
  }
})();
`;

/** The statement page's script: the Print link (no inline handlers, so the CSP can forbid inline scripts). */
export const STATEMENT_SCRIPT = `document.querySelectorAll('[data-print]').forEach((el) => el.addEventListener('click', (event) => { event.preventDefault(); window.print(); }));
`;
