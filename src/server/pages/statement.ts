import QRCode from 'qrcode';
import { VC_JWT_PREFIX } from '../../lib/envelope.js';
import { describeWithheld, type WithheldState } from '../../disclosure/withheld.js';
import type { RegistryIdentity } from '../identity.js';
import { esc, layout } from './html.js';
import { idHtml, serialHtml } from './verdict.js';
import { claimBoundaryInWords, unitWord } from '../../credits/claim-words.js';
import { tilePath, tileWidthAt, TILE_WIDTH } from '../../log/index.js';

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Obj) : {};
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined ? [] : [value];
}

/**
 * The credential inside an enveloped credential, a compact vc+jwt, or a plain credential. No check of
 * the signature here: the page links to the verifier for that.
 */
export function credentialPayload(value: unknown): Obj | undefined {
  let jws: string | undefined;
  if (typeof value === 'string') jws = value.startsWith(VC_JWT_PREFIX) ? value.slice(VC_JWT_PREFIX.length) : value;
  else if (typeof obj(value).id === 'string' && (obj(value).id as string).startsWith(VC_JWT_PREFIX))
    jws = (obj(value).id as string).slice(VC_JWT_PREFIX.length);
  else if (value !== null && typeof value === 'object') return obj(value);
  const part = jws?.split('.')[1];
  if (!part) return undefined;
  try {
    return obj(JSON.parse(Buffer.from(part, 'base64url').toString('utf8')));
  } catch {
    return undefined;
  }
}

function formatTime(value: unknown): string {
  const time = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  return Number.isNaN(time)
    ? String(value ?? '')
    : `${new Date(time).toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

function formatNumber(value: number): string {
  return new Intl.NumberFormat('en-GB', { maximumFractionDigits: 3 }).format(value);
}

/**
 * The retirement's place in the registry's public log, in plain words, from the record's `log`
 * member; nothing is claimed while the sequencer has not logged it yet.
 */
export function logSectionHtml(record: Obj): string {
  const log = obj(record.log);
  const index = log.index;
  const size = log.treeSize;
  if (!Number.isSafeInteger(index) || !Number.isSafeInteger(size) || (size as number) <= (index as number))
    return `<h2>Public log</h2>\n<p data-field="log" data-logged="false">This retirement is not yet in the registry's public log: the registry logs each retirement within seconds of recording it. Reload this page to see its entry.</p>`;
  const n = index as number;
  const tile = Math.floor(n / TILE_WIDTH);
  const entries = `/registry/log/${tilePath({ level: 'entries', index: tile, width: tileWidthAt(0, tile, size as number) })}`;
  return `<h2>Public log</h2>
<p data-field="log" data-logged="true" data-log-index="${esc(n)}">This retirement is <strong>entry ${esc(n)}</strong> of the registry's public log of ${esc(size)} entries, an append-only transparency log that anyone can copy and check. The log's signed checkpoint covers this entry, and its inclusion proof comes with this record and with the offline bundle; anyone can replay the whole log to check that no credit in it was retired twice.</p>
<p class="noprint"><a href="/registry/log/checkpoint" id="log-checkpoint">The log's latest checkpoint</a> · <a href="${esc(entries)}" id="log-entry">the entries around entry ${esc(n)}</a> · <a href="/registry/log/vkey">the log's key</a></p>`;
}

export interface StatementOptions {
  identity: RegistryIdentity;
  /** The statement's own public URL. */
  url: string;
  /** What the QR code encodes: the retirement's identity-resolver URL (default: the statement URL). */
  resolverUrl?: string;
  /** The per-credit premium of an issuance, when the ledger knows it. */
  premiumOf?: (issuanceId: string) => Promise<{ amount: number; currency: string } | undefined>;
}

/**
 * The public retirement statement, server-rendered from the retirement record and its signed
 * credential: who retired what for whom, the claim boundary in plain words, the premium, a QR code of
 * its own URL, the signed credential and a verify button. Printable.
 */
export async function renderStatementPage(record: Obj, options: StatementOptions): Promise<string> {
  const credential = credentialPayload(record.credential) ?? {};
  const subject = obj(credential.credentialSubject);
  const retirement = obj(subject.creditRetirement);
  const units = list(retirement.retiredUnits).map(obj);
  // A withheld beneficiary (docs/privacy.md): its state from the record (`withheld`, the server's
  // check of the stored releases), or "withheld until D" from the commitment alone.
  const committed = retirement.withheldBeneficiary !== undefined ? obj(retirement.withheldBeneficiary) : undefined;
  const withheldState: WithheldState | undefined =
    committed === undefined
      ? undefined
      : ((list(record.withheld)
          .map(obj)
          .find((w) => w.field === 'beneficiary') as WithheldState | undefined) ?? {
          commitment: '/credentialSubject/creditRetirement/withheldBeneficiary',
          field: 'beneficiary',
          disclosureDate: String(committed.disclosureDate ?? ''),
          state: 'withheld',
        });
  const disclosedBeneficiary = withheldState?.state === 'disclosed' ? obj(withheldState.value) : undefined;
  const beneficiary = disclosedBeneficiary ?? obj(retirement.beneficiary);
  const beneficiaryHtml =
    withheldState && !disclosedBeneficiary
      ? `<strong data-field="beneficiary" data-withheld="${esc(withheldState.state)}">${esc(describeWithheld(withheldState).replace(/^Beneficiary/, 'a beneficiary'))}</strong>`
      : `<strong data-field="beneficiary"${disclosedBeneficiary ? ' data-withheld="disclosed"' : ''}>${esc(beneficiary.name)}</strong>${beneficiary.onBehalfOf === true ? ', on whose behalf they were retired' : ''} (${esc(beneficiary.jurisdiction)})${disclosedBeneficiary && withheldState ? ` — ${esc(describeWithheld(withheldState))}` : ''}`;
  const account = obj(retirement.retiringAccount);
  const holder = obj(account.holder);
  const boundary = obj(retirement.claimBoundary);
  const retirementId = String(retirement.retirementId ?? record.retirementId ?? '');
  const credentialUrl = `${options.url}/credential`;
  const verifyUrl = `/verify?url=${encodeURIComponent(credentialUrl)}`;
  const qr = await QRCode.toString(options.resolverUrl ?? options.url, {
    type: 'svg',
    margin: 1,
    errorCorrectionLevel: 'M',
  });

  let premiumTotal = 0;
  let premiumCurrency: string | undefined;
  const perCreditPremiums = new Set<string>();
  const commodities = new Set<string>();
  const rows: string[] = [];
  let tonnes = 0;
  for (const unit of units) {
    const block = obj(unit.serialBlock);
    const creditUnit = obj(unit.creditUnit);
    const commodity = obj(creditUnit.commodity);
    const site = obj(unit.productionSite);
    const standard = obj(unit.standard);
    const quantity = Number(block.quantity ?? 0);
    const perCredit = Number(creditUnit.quantityPerCredit ?? 1);
    tonnes += quantity * perCredit;
    const premium = record.premium !== undefined ? undefined : await options.premiumOf?.(String(unit.issuanceId ?? ''));
    if (premium) {
      premiumTotal += premium.amount * quantity;
      premiumCurrency = premium.currency;
      perCreditPremiums.add(`${formatNumber(premium.amount)} ${premium.currency}`);
    }
    commodities.add(String(commodity.name ?? commodity.code ?? 'metal').toLowerCase());
    rows.push(
      `<tr><td data-label="Serials">${serialHtml(`${String(block.prefix ?? '')} ${String(block.start ?? '')}–${String(block.end ?? '')}`)}</td><td data-label="Credits">${esc(quantity)}</td><td data-label="Quantity">${esc(quantity * perCredit)} ${esc(unitWord(String(creditUnit.unit ?? '')))}</td>` +
        `<td data-label="Commodity">${esc(commodity.name ?? commodity.code)}</td><td data-label="Production site"><span>${esc(site.name)}<br><span class="muted">${esc(site.countrySubdivision)} · ${esc(site.productionType)}</span></span></td>` +
        `<td data-label="Standard">${esc(standard.name)} ${esc(standard.version)}</td><td data-label="Vintage">${esc(unit.vintage)}</td></tr>`,
    );
  }
  const recordPremium = obj(record.premium);
  const premiumText =
    recordPremium.amount !== undefined
      ? `${esc(recordPremium.amount)} ${esc(recordPremium.currency)}`
      : premiumCurrency
        ? `${esc(formatNumber(premiumTotal))} ${esc(premiumCurrency)} (${esc([...perCreditPremiums].join(', '))} per credit)`
        : undefined;
  const products = list(boundary.coveredProducts).map(obj);

  // A statement that no longer stands says so first, above everything else.
  const notices: string[] = [];
  if (record.invalidated === true)
    notices.push('This retirement has been <strong>invalidated</strong> by the registry: it supports no claim.');
  if (typeof record.replacedBy === 'string')
    notices.push(
      `This retirement was <strong>amended</strong>: see <a href="./${esc(encodeURIComponent(record.replacedBy))}">retirement ${esc(record.replacedBy)}</a>, which replaces it.`,
    );
  else if (record.revoked === true && record.invalidated !== true)
    notices.push('The signed credential of this retirement has been <strong>revoked</strong>.');
  if (typeof record.replaces === 'string')
    notices.push(
      `This retirement amends <a href="./${esc(encodeURIComponent(record.replaces))}">retirement ${esc(record.replaces)}</a>.`,
    );
  const body = `
${notices.map((n) => `<div class="demo" role="status" data-notice>${n}</div>`).join('\n')}
<div class="qr" aria-label="QR code of this statement">${qr}<div>Scan to open this statement</div></div>
<p class="muted">Retirement statement ${esc(retirementId)}</p>
<h1>${esc(subject.name ?? `Retirement ${retirementId}`)}</h1>
<p><strong data-field="total">${esc(retirement.totalQuantity)} credits</strong> (${esc(formatNumber(tonnes))} tonnes of responsibly produced ${esc([...commodities].join(' and ') || 'metal')}) were permanently retired on ${esc(formatTime(retirement.retiredAt))} by <strong>${esc(holder.name)}</strong> (account ${esc(account.accountId)}) for ${beneficiaryHtml}.</p>
<h2>The claim</h2>
<p class="claim" data-field="claim">${esc(claimBoundaryInWords(disclosedBeneficiary ? { ...retirement, beneficiary: disclosedBeneficiary } : retirement))}</p>
${products.length > 0 ? `<table class="stack"><thead><tr><th>Covered product</th><th>Id</th></tr></thead><tbody>${products.map((p) => `<tr><td data-label="Product">${esc(p.name)}</td><td data-label="Id">${idHtml(String(p.id ?? ''))}</td></tr>`).join('')}</tbody></table>` : ''}
<p class="muted">Purpose: ${esc(retirement.purpose)}${retirement.purposeDetails ? ` — ${esc(retirement.purposeDetails)}` : ''}</p>
<h2>Credits retired</h2>
<table class="stack" data-table="retired"><thead><tr><th>Serials</th><th>Credits</th><th>Quantity</th><th>Commodity</th><th>Production site</th><th>Standard</th><th>Vintage</th></tr></thead><tbody>${rows.join('')}</tbody></table>
<h2>Premium</h2>
<p data-field="premium">${premiumText ? `These credits carried a premium of ${premiumText}, paid to the producing cooperative and allocated by its worker-led committee.` : 'The premium is recorded with each issuance; see the issuance credentials cited in the signed credential.'}</p>
<p data-field="premium-allocation"><a href="/overview/retirements/${esc(encodeURIComponent(retirementId))}">Where the premium went</a>: the worker-led committee's allocation of this premium across health &amp; safety, child rights, cooperative governance and environment, as signed reports.</p>
${logSectionHtml(record)}
<h2>The registry's statement</h2>
<p>${esc(obj(retirement.registryAttestation).statement)}</p>
<dl><dt>Issuer</dt><dd><code>${esc(obj(credential.issuer).id ?? credential.issuer)}</code> (${esc(obj(credential.issuer).name ?? options.identity.name)})</dd>
<dt>Credential</dt><dd>${idHtml(String(credential.id ?? ''))}</dd>
<dt>Statement URL</dt><dd>${idHtml(options.url)}</dd></dl>
<p class="noprint"><a class="button" id="verify" href="${esc(verifyUrl)}">Verify this statement</a>
<a href="${esc(credentialUrl)}" id="signed-credential">Signed credential (JSON)</a> · <a href="#" data-print>Print</a></p>
`;
  return layout({
    title: `Retirement statement ${retirementId}`,
    body,
    demo: options.identity.demo,
    registryName: options.identity.name,
    script: '/assets/statement.js',
  });
}
