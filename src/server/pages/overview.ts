import type { AllocationRecord, Overview } from '../../impact/ledger.js';
import type { RegistryIdentity } from '../identity.js';
import { esc, layout } from './html.js';

/**
 * The public overview pages: credits issued, held and retired over time, and the premium received
 * and allocated by impact area, as inline SVG drawn on the server (no script, no chart library).
 * Every chart has a title and a table with the same numbers beside it, so it prints, reads on a
 * phone (the SVG scales with its viewBox) and works with a screen reader.
 */

export const AREA_LABELS: Readonly<Record<string, string>> = {
  'health-and-safety': 'Health & safety',
  'child-rights': 'Child rights',
  'cooperative-governance': 'Cooperative governance',
  environment: 'Environment',
};
const AREA_COLOURS: Readonly<Record<string, string>> = {
  'health-and-safety': '#c0392b',
  'child-rights': '#2e86c1',
  'cooperative-governance': '#7d3c98',
  environment: '#239b56',
};
const ISSUED = '#0b5cad';
const RETIRED = '#d68910';
const HELD = '#8fb8e3';

const STYLE = `<style>
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(18rem, 1fr)); gap: 1rem; }
figure.chart { margin: 0; border: 1px solid var(--line); border-radius: 6px; padding: .75rem; break-inside: avoid; }
figure.chart svg { width: 100%; height: auto; display: block; }
figure.chart figcaption { font-weight: 600; margin-bottom: .5rem; }
.kpis { display: grid; grid-template-columns: repeat(auto-fit, minmax(9rem, 1fr)); gap: .5rem; margin: 1rem 0; }
.kpi { border: 1px solid var(--line); border-radius: 6px; padding: .5rem .75rem; }
.kpi b { display: block; font-size: 1.5rem; } .kpi span { color: var(--muted); font-size: .85rem; }
.alloc td:nth-child(2), .alloc td:nth-child(4), .alloc td:nth-child(5) { white-space: nowrap; }
.legend span { display: inline-block; margin-right: 1rem; font-size: .85rem; } .legend i { display: inline-block; width: .8rem; height: .8rem; margin-right: .3rem; vertical-align: -1px; }
@media (max-width: 40rem) { table { font-size: .85rem; }
  table.alloc thead { display: none; } table.alloc tr { display: block; border-bottom: 1px solid var(--line); padding: .3rem 0; }
  table.alloc td { display: block; border: 0; padding: .1rem .25rem; } table.alloc td::before { content: attr(data-label) ": "; color: var(--muted); } }
@media print { figure.chart { border: 0; padding: 0; } .charts { grid-template-columns: 1fr 1fr; } }
</style>`;

const fmt = (n: number): string => n.toLocaleString('en-US');
const money = (s: string): string =>
  Number(s).toLocaleString('en-US', { minimumFractionDigits: 0, maximumFractionDigits: 2 });
const swatch = (colour: string, label: string): string =>
  `<span><i style="background:${colour}"></i>${esc(label)}</span>`;

/** A rounded-up axis maximum (1, 2, 5 × 10^n) so gridlines fall on round numbers. */
function niceMax(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}

/**
 * Grouped monthly bars (issued, retired) with a cumulative "held" line: what the registry did, month by month.
 *
 * @example creditsChart([{ month: '2026-04', issued: 120, retired: 0 }, { month: '2026-06', issued: 0, retired: 25 }])
 */
export function creditsChart(months: Overview['months']): string {
  const W = 400,
    H = 240,
    left = 44,
    right = 8,
    top = 14,
    bottom = 34;
  const plotW = W - left - right,
    plotH = H - top - bottom;
  let cumulative = 0;
  const held = months.map((m) => (cumulative += m.issued - m.retired));
  const max = niceMax(Math.max(1, ...months.map((m) => Math.max(m.issued, m.retired)), ...held));
  const y = (v: number): number => top + plotH - (v / max) * plotH;
  const slot = plotW / Math.max(1, months.length);
  const bar = Math.min(28, slot / 3);
  const grid = [0, 0.25, 0.5, 0.75, 1]
    .map((f) => {
      const v = max * f;
      return `<line x1="${left}" x2="${W - right}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#d9dee5"/><text x="${left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end" font-size="13" fill="#5b6675">${fmt(Math.round(v))}</text>`;
    })
    .join('');
  const bars = months
    .map((m, i) => {
      const cx = left + slot * i + slot / 2;
      return (
        `<g data-month="${esc(m.month)}"><rect x="${(cx - bar - 1).toFixed(1)}" y="${y(m.issued).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plotH - y(m.issued)).toFixed(1)}" fill="${ISSUED}"><title>${esc(m.month)}: ${fmt(m.issued)} issued</title></rect>` +
        `<rect x="${(cx + 1).toFixed(1)}" y="${y(m.retired).toFixed(1)}" width="${bar.toFixed(1)}" height="${(top + plotH - y(m.retired)).toFixed(1)}" fill="${RETIRED}"><title>${esc(m.month)}: ${fmt(m.retired)} retired</title></rect>` +
        `<text x="${cx.toFixed(1)}" y="${H - bottom + 16}" text-anchor="middle" font-size="13" fill="#1b2330">${esc(m.month)}</text></g>`
      );
    })
    .join('');
  const line =
    months.length > 0
      ? `<polyline fill="none" stroke="${HELD}" stroke-width="3" points="${held.map((h, i) => `${(left + slot * i + slot / 2).toFixed(1)},${y(h).toFixed(1)}`).join(' ')}"/>` +
        held
          .map(
            (h, i) =>
              `<circle cx="${(left + slot * i + slot / 2).toFixed(1)}" cy="${y(h).toFixed(1)}" r="4" fill="${HELD}"><title>held at the end of ${esc(months[i]?.month ?? '')}: ${fmt(h)}</title></circle>`,
          )
          .join('')
      : '';
  const empty =
    months.length === 0
      ? `<text x="${W / 2}" y="${H / 2}" text-anchor="middle" fill="#5b6675">No credits issued yet</text>`
      : '';
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="credits-title" data-chart="credits"><title id="credits-title">Credits issued and retired per month, and credits held</title>${grid}${bars}${line}${empty}<line x1="${left}" x2="${W - right}" y1="${top + plotH}" y2="${top + plotH}" stroke="#1b2330"/></svg>`;
}

/**
 * Horizontal bars: premium received, allocated, and allocated per impact area (one currency).
 *
 * @example premiumChart({ currency: 'USD', received: '37500.00', allocated: '34500.00', byArea: { 'health-and-safety': '15000.00', … } })
 */
export function premiumChart(p: Overview['premium'][number]): string {
  const rows: Array<[string, number, string]> = [
    ['Received', Number(p.received), '#1b2330'],
    ['Allocated', Number(p.allocated), '#5b6675'],
    ...Object.keys(AREA_LABELS).map((area): [string, number, string] => [
      AREA_LABELS[area] ?? area,
      Number(p.byArea[area] ?? 0),
      AREA_COLOURS[area] ?? '#999',
    ]),
  ];
  // Label and amount on one line, the bar under them across the full width: legible when the
  // SVG shrinks to a phone's width (a narrow viewBox keeps the text large).
  const W = 400,
    rowH = 44,
    top = 4;
  const H = top * 2 + rows.length * rowH;
  const max = Math.max(1, ...rows.map((r) => r[1]));
  const body = rows
    .map(([label, value, colour], i) => {
      const yy = top + i * rowH;
      const w = Math.max(value > 0 ? 2 : 0, (value / max) * W);
      return (
        `<g data-bar="${esc(label)}"><text x="0" y="${yy + 16}" font-size="15" fill="#1b2330">${esc(label)}</text>` +
        `<rect x="0" y="${yy + 22}" width="${w.toFixed(1)}" height="16" rx="3" fill="${colour}"><title>${esc(label)}: ${money(String(value))} ${esc(p.currency)}</title></rect>` +
        `<text x="${W}" y="${yy + 16}" text-anchor="end" font-size="15" font-weight="600" fill="#1b2330">${money(String(value))} ${esc(p.currency)}</text></g>` +
        (i === 1 ? `<line x1="0" x2="${W}" y1="${yy + rowH - 1}" y2="${yy + rowH - 1}" stroke="#d9dee5"/>` : '')
      );
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-labelledby="premium-title-${esc(p.currency)}" data-chart="premium"><title id="premium-title-${esc(p.currency)}">Premium received and allocated by impact area, ${esc(p.currency)}</title>${body}</svg>`;
}

/** A horizontal stacked bar: how many of the issued credits are held and how many retired. */
function splitBar(held: number, retired: number): string {
  const total = Math.max(1, held + retired);
  const W = 400,
    H = 36;
  const hw = (held / total) * W;
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${fmt(held)} held, ${fmt(retired)} retired" data-chart="split"><rect x="0" y="4" width="${hw.toFixed(1)}" height="28" fill="${HELD}"><title>${fmt(held)} held</title></rect><rect x="${hw.toFixed(1)}" y="4" width="${(W - hw).toFixed(1)}" height="28" fill="${RETIRED}"><title>${fmt(retired)} retired</title></rect></svg>`;
}

function allocationTable(allocations: AllocationRecord[], base: string): string {
  if (allocations.length === 0)
    return '<p class="muted" data-field="no-allocations">No allocation report has been recorded yet.</p>';
  return allocations
    .map(
      (a) => `<section data-report="${esc(a.reportId)}">
<h3>${esc(a.siteName)} — report ${esc(a.reportId)} (${esc(a.periodStart)} to ${esc(a.periodEnd)})</h3>
<p>Premium received: <strong>${money(a.received)} ${esc(a.currency)}</strong>${a.retirementAmount ? ` (of which ${money(a.retirementAmount)} ${esc(a.currency)} for this retirement)` : ''}; allocated by the worker-led committee: <strong>${money(a.allocated)} ${esc(a.currency)}</strong>; not yet allocated: ${money(String(Number(a.received) - Number(a.allocated)))} ${esc(a.currency)}.</p>
<table class="alloc"><thead><tr><th>Impact area</th><th>Amount</th><th>What was funded</th><th>Decided</th><th>Paid out</th></tr></thead><tbody>
${a.items.map((i) => `<tr><td data-label="Impact area"><i style="display:inline-block;width:.7rem;height:.7rem;background:${AREA_COLOURS[i.impactArea] ?? '#999'}"></i> ${esc(AREA_LABELS[i.impactArea] ?? i.impactArea)}</td><td data-label="Amount">${money(i.amount)} ${esc(a.currency)}</td><td data-label="Funded">${esc(i.funded)}</td><td data-label="Decided">${esc(i.decisionDate)}</td><td data-label="Paid out">${esc(i.disbursedDate ?? '—')}</td></tr>`).join('\n')}
</tbody></table>
<p class="muted">Signed report: <a href="/overview/allocations/${esc(encodeURIComponent(a.reportId))}/credential">PremiumAllocationCredential</a> (<code>${esc(a.digestMultibase)}</code>) · <a data-verify href="/verify?url=${esc(encodeURIComponent(`${base}/overview/allocations/${encodeURIComponent(a.reportId)}/credential`))}">verify</a></p>
</section>`,
    )
    .join('\n');
}

/** The short path segment of a site id (its last segment), used in /overview/sites/:id. */
export function siteSlug(id: string): string {
  return id.replace(/\/+$/, '').split('/').pop() ?? id;
}

/** GET /overview and /overview/sites/:id. */
export function renderOverviewPage(o: Overview, identity: RegistryIdentity): string {
  const title = o.siteId === undefined ? 'Registry overview' : `Site overview: ${o.siteName ?? o.siteId}`;
  const monthRows = o.months
    .map((m) => `<tr><td>${esc(m.month)}</td><td>${fmt(m.issued)}</td><td>${fmt(m.retired)}</td></tr>`)
    .join('');
  const premium = o.premium
    .map(
      (p) =>
        `<figure class="chart"><figcaption>Premium received and where it went (${esc(p.currency)})</figcaption>${premiumChart(p)}</figure>`,
    )
    .join('');
  const body = `${STYLE}
<p class="muted">${o.siteId === undefined ? 'All production sites' : `<a href="/overview">Registry overview</a> › site`}</p>
<h1>${esc(title)}</h1>
<p>Figures come from the registry ledger and match its signed credentials: one credit is one tonne produced responsibly at an assessed artisanal cooperative (book and claim); the premium buyers pay goes to a worker-led committee at the site, which decides where it goes.</p>
<div class="kpis">
<div class="kpi" data-kpi="issued"><b>${fmt(o.issued)}</b><span>credits issued</span></div>
<div class="kpi" data-kpi="held"><b>${fmt(o.held)}</b><span>held (not yet retired)</span></div>
<div class="kpi" data-kpi="retired"><b>${fmt(o.retired)}</b><span>retired for claims</span></div>
${o.premium.map((p) => `<div class="kpi" data-kpi="premium-${esc(p.currency)}"><b>${money(p.received)} ${esc(p.currency)}</b><span>premium received, ${money(p.allocated)} allocated</span></div>`).join('')}
</div>
<h2>Credits</h2>
<div class="charts">
<figure class="chart"><figcaption>Issued and retired per month; held at month end</figcaption>${creditsChart(o.months)}
<div class="legend">${swatch(ISSUED, 'issued')}${swatch(RETIRED, 'retired')}${swatch(HELD, 'held')}</div></figure>
<figure class="chart"><figcaption>Held and retired, of ${fmt(o.held + o.retired)} credits</figcaption>${splitBar(o.held, o.retired)}
<div class="legend">${swatch(HELD, `held ${fmt(o.held)}`)}${swatch(RETIRED, `retired ${fmt(o.retired)}`)}</div></figure>
</div>
<table data-table="months"><thead><tr><th>Month</th><th>Issued</th><th>Retired</th></tr></thead><tbody>${monthRows || '<tr><td colspan="3">—</td></tr>'}</tbody></table>
<h2>Premium</h2>
${premium ? `<div class="charts">${premium}</div>` : ''}
${allocationTable(o.allocations, identity.publicUrl)}
${
  o.siteId === undefined
    ? `<h2>Production sites</h2>
<table data-table="sites"><thead><tr><th>Site</th><th>Issued</th><th>Retired</th></tr></thead><tbody>${o.sites.map((s) => `<tr><td><a href="/overview/sites/${esc(encodeURIComponent(siteSlug(s.id)))}">${esc(s.name)}</a></td><td>${fmt(s.issued)}</td><td>${fmt(s.retired)}</td></tr>`).join('')}</tbody></table>`
    : ''
}
<p class="noprint muted">Also as JSON: send <code>Accept: application/json</code>.</p>`;
  return layout({ title, body, demo: identity.demo, registryName: identity.name });
}

/** GET /overview/retirements/:id: where the premium of one retirement went. */
export function renderRetirementPremiumPage(
  retirementId: string,
  allocations: AllocationRecord[],
  identity: RegistryIdentity,
): string {
  const title = `Where the premium went: retirement ${retirementId}`;
  const body = `${STYLE}
<p class="muted"><a href="/registry/retirements/${esc(encodeURIComponent(retirementId))}">Retirement statement ${esc(retirementId)}</a> › premium</p>
<h1>${esc(title)}</h1>
<p>The premium paid with these credits went to the producing cooperative; its worker-led committee decided where it goes across health &amp; safety, child rights, cooperative governance and environment. Each report is a signed credential citing this retirement by the digest of its credential.</p>
<h2>Allocation reports</h2>
${allocations.map((a) => `<figure class="chart"><figcaption>${esc(a.siteName)}, ${esc(a.periodStart)} to ${esc(a.periodEnd)}</figcaption>${premiumChart({ currency: a.currency, received: a.received, allocated: a.allocated, byArea: Object.fromEntries(Object.keys(AREA_LABELS).map((area) => [area, String(a.items.filter((i) => i.impactArea === area).reduce((s, i) => s + Math.round(Number(i.amount) * 100), 0) / 100)])) })}</figure>`).join('')}
${allocationTable(allocations, identity.publicUrl)}`;
  return layout({ title, body, demo: identity.demo, registryName: identity.name });
}
