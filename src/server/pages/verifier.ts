import type { RegistryIdentity } from '../identity.js';
import { esc, layout } from './html.js';

/** The web verifier: paste, drop a file, or `?url=` one of this registry's own URLs. */
export function renderVerifierPage(identity: RegistryIdentity, url: string | undefined): string {
  const body = `
<h1>Verify a credential</h1>
<p>Paste a credential (JSON, an enveloped credential, or a <code>vc+jwt</code>) or drop a file. Verification runs on this server against the registry's own DID document and status lists; nothing is fetched from elsewhere.</p>
<form id="verify-form" data-public-url="${esc(identity.publicUrl)}" data-url="${esc(url ?? '')}">
<div class="drop noprint" id="drop">Drop a credential file here</div>
<textarea id="input" name="input" spellcheck="false" aria-label="Credential or JWT" placeholder='{"@context": …} or eyJ…'></textarea>
<p><button type="submit" id="verify-button">Verify</button> <span id="busy" class="muted"></span></p>
</form>
<section id="result" aria-live="polite"></section>
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
 * The page's script (vanilla, no build step): sends the input to POST /credentials/verify and renders
 * the one verification report — verdict, steps, issuer, credit details, claim boundary.
 */
export const VERIFIER_SCRIPT = String.raw`(() => {
  'use strict';
  const form = document.getElementById('verify-form');
  const input = document.getElementById('input');
  const result = document.getElementById('result');
  const busy = document.getElementById('busy');
  const drop = document.getElementById('drop');
  const esc = (v) => String(v == null ? '' : v).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
  const obj = (v) => (v && typeof v === 'object' && !Array.isArray(v) ? v : {});
  const arr = (v) => (Array.isArray(v) ? v : v == null ? [] : [v]);

  function parseInput(text) {
    const t = text.trim();
    if (!t) return undefined;
    if (t.startsWith('{') || t.startsWith('[')) {
      const parsed = JSON.parse(t);
      // A registry record ({ …, credential }) verifies its credential.
      if (parsed && parsed.credential && !parsed['@context']) return parsed.credential;
      return parsed;
    }
    return t;
  }

  function creditRows(credential) {
    const subject = obj(obj(credential).credentialSubject);
    const rows = [];
    const issuance = obj(subject.creditIssuance);
    const retirement = obj(subject.creditRetirement);
    if (issuance.serialBlock) {
      const b = obj(issuance.serialBlock); const u = obj(issuance.creditUnit); const site = obj(issuance.productionSite);
      rows.push(['Credit issuance', esc(issuance.issuanceId)]);
      rows.push(['Serials', '<code>' + esc(b.prefix) + ' ' + esc(b.start) + '–' + esc(b.end) + '</code> (' + esc(b.quantity) + ' credits)']);
      rows.push(['Commodity', esc(obj(u.commodity).name || obj(u.commodity).code) + ', ' + esc(u.quantityPerCredit) + ' ' + esc(u.unit) + ' per credit']);
      rows.push(['Production site', esc(site.name) + ' (' + esc(site.countrySubdivision) + ')']);
      rows.push(['Standard', esc(obj(issuance.standard).name) + ' ' + esc(obj(issuance.standard).version)]);
    }
    if (retirement.retiredUnits) {
      rows.push(['Credit retirement', esc(retirement.retirementId)]);
      rows.push(['Credits retired', esc(retirement.totalQuantity)]);
      for (const unit of arr(retirement.retiredUnits)) {
        const b = obj(unit.serialBlock);
        rows.push(['Serials', '<code>' + esc(b.prefix) + ' ' + esc(b.start) + '–' + esc(b.end) + '</code> · ' + esc(obj(obj(unit.creditUnit).commodity).name) + ' · ' + esc(obj(unit.productionSite).name)]);
      }
      rows.push(['Beneficiary', esc(obj(retirement.beneficiary).name) + ' (' + esc(obj(retirement.beneficiary).jurisdiction) + ')']);
    }
    return rows;
  }

  function claimBoundary(credential) {
    const retirement = obj(obj(obj(credential).credentialSubject).creditRetirement);
    const b = obj(retirement.claimBoundary);
    if (!b.allowedClaim) return '';
    const q = obj(b.coveredQuantity); const p = obj(b.claimPeriod);
    return '<h2>Claim boundary</h2><p class="claim" id="claim-boundary">' + esc(obj(retirement.beneficiary).name) + ' may claim “' + esc(b.allowedClaim) + '” (' + esc(b.scope) + '), covering ' + esc(q.value) + ' ' + esc(q.unit) + ' in ' + esc(arr(b.market).join(', ')) + ', from ' + esc(p.startDate) + ' to ' + esc(p.endDate) + '. Not a claim about physical content.</p>';
  }

  function render(report) {
    const steps = arr(report.steps).map((s) => '<li class="' + (s.ok ? 'ok' : 'bad') + '" data-step="' + esc(s.name) + '">' + (s.ok ? '✔' : '✘') + ' <strong>' + esc(s.name) + '</strong>' + (s.code ? ' <code>' + esc(s.code) + '</code>' : '') + (s.message ? ' — ' + esc(s.message) : '') + '</li>').join('');
    const warnings = arr(report.warnings).map((w) => '<li>⚠ <code>' + esc(w.code) + '</code> ' + esc(w.message) + '</li>').join('');
    const credential = obj(report.credential);
    const rows = creditRows(credential).map(([k, v]) => '<tr><th>' + esc(k) + '</th><td>' + v + '</td></tr>').join('');
    const issuer = obj(credential.issuer);
    result.innerHTML = '<div id="verdict" class="verdict ' + (report.verified ? 'ok' : 'bad') + '">' + (report.verified ? '✔ Verified' : '✘ Not verified') + '</div>'
      + '<dl><dt>Issuer</dt><dd id="issuer"><code>' + esc(report.issuer) + '</code>' + (issuer.name ? ' (' + esc(issuer.name) + ')' : '') + '</dd><dt>Format</dt><dd>' + esc(report.format || '—') + '</dd>'
      + '<dt>Credential</dt><dd>' + esc(credential.name || credential.id || '—') + '</dd></dl>'
      + '<h2>Steps</h2><ul class="steps" id="steps">' + steps + '</ul>'
      + (warnings ? '<h2>Warnings</h2><ul class="steps">' + warnings + '</ul>' : '')
      + (rows ? '<h2>Credits</h2><table id="credits">' + rows + '</table>' : '')
      + claimBoundary(credential);
  }

  async function verifyText(text) {
    let credential;
    try { credential = parseInput(text); } catch (e) { result.innerHTML = '<div class="verdict bad" id="verdict">✘ Not JSON: ' + esc(e.message) + '</div>'; return; }
    if (credential === undefined) { result.innerHTML = '<p class="muted">Nothing to verify.</p>'; return; }
    busy.textContent = 'Verifying…';
    try {
      const response = await fetch('/credentials/verify', { method: 'POST', headers: { 'content-type': 'application/json', accept: 'application/json' }, body: JSON.stringify({ verifiableCredential: credential }) });
      const body = await response.json();
      if (response.headers.get('content-type')?.includes('problem+json')) result.innerHTML = '<div class="verdict bad" id="verdict">✘ ' + esc(body.code) + ': ' + esc(body.detail) + '</div>';
      else render(body);
    } catch (e) {
      result.innerHTML = '<div class="verdict bad" id="verdict">✘ The server could not be reached: ' + esc(e.message) + '</div>';
    } finally { busy.textContent = ''; }
  }

  form.addEventListener('submit', (event) => { event.preventDefault(); verifyText(input.value); });
  drop.addEventListener('dragover', (event) => { event.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', async (event) => {
    event.preventDefault(); drop.classList.remove('over');
    const file = event.dataTransfer && event.dataTransfer.files[0];
    if (!file) return;
    input.value = await file.text();
    verifyText(input.value);
  });

  // ?url= opens one of this registry's own URLs only: same origin, or under its public URL (mapped here).
  const url = form.dataset.url;
  if (url) {
    const publicUrl = form.dataset.publicUrl;
    let target;
    try {
      const u = new URL(url, location.href);
      if (u.origin === location.origin) target = u.pathname + u.search;
      else if (publicUrl && u.href.startsWith(publicUrl + '/')) target = u.href.slice(publicUrl.length);
    } catch (e) { target = undefined; }
    if (!target) { result.innerHTML = '<div class="verdict bad" id="verdict">✘ Only this registry\'s own URLs can be opened here.</div>'; return; }
    busy.textContent = 'Fetching…';
    fetch(target, { headers: { accept: 'application/json' } })
      .then((r) => r.text())
      .then((text) => { input.value = text; return verifyText(text); })
      .catch((e) => { result.innerHTML = '<div class="verdict bad" id="verdict">✘ ' + esc(e.message) + '</div>'; });
  }
})();
`;

/** The statement page's script: the Print link (no inline handlers, so the CSP can forbid inline scripts). */
export const STATEMENT_SCRIPT = `document.querySelectorAll('[data-print]').forEach((el) => el.addEventListener('click', (event) => { event.preventDefault(); window.print(); }));
`;
