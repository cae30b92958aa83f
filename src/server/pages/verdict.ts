import {
  MARK_SYMBOLS,
  type DetailField,
  type DetailSection,
  type VerdictLine,
  type VerdictView,
} from '../../verify/verdict.js';
import { esc } from './html.js';

/**
 * The verdict view (src/verify/verdict.ts) as HTML — the same view the CLI prints. Facts read from
 * the credential appear as facts only under a verified verdict; otherwise they sit inside one box
 * marked "Unverified content" (data-unverified), collapsed, and nowhere else.
 */

const CLASS = { ok: 'ok', warn: 'warn', fail: 'bad' } as const;

function mark(line: { mark: VerdictLine['mark'] }): string {
  return `<span class="mark" aria-hidden="true">${MARK_SYMBOLS[line.mark]}</span>`;
}

const WORD = { ok: 'passed', warn: 'warning', fail: 'failed' } as const;

function lineHtml(line: VerdictLine, attribute: string): string {
  return (
    `<li class="${CLASS[line.mark]}" ${attribute}="${esc(line.name)}">${mark(line)} <strong>${esc(line.name)}</strong>` +
    `<span class="visually-hidden"> ${WORD[line.mark]}</span>` +
    (line.code ? ` <code>${esc(line.code)}</code>` : '') +
    (line.message ? ` — ${esc(line.message)}` : '') +
    (line.sub && line.sub.length > 0
      ? `<ul>${line.sub.map((s) => `<li><code>${esc(s)}</code></li>`).join('')}</ul>`
      : '') +
    '</li>'
  );
}

/** A serial range: the prefix and the range each kept whole, so no number breaks across lines. */
export function serialHtml(value: string): string {
  const space = value.lastIndexOf(' ');
  const parts = space > 0 ? [value.slice(0, space), value.slice(space + 1)] : [value];
  return `<code class="serial">${parts.map((p) => `<span>${esc(p)}</span>`).join(' ')}</code>`;
}

/**
 * An identifier (URL, DID, product id): line breaks go after each `/` first, so a number at the
 * end of a path (a GTIN, a record id) is not split while the slashes can take the break; a part
 * wider than the line still wraps (overflow-wrap: anywhere) rather than widening the page.
 */
export function idHtml(value: string): string {
  return `<code class="id">${value
    .split(/(?<=\/)/)
    .map((part) => esc(part))
    .join('<wbr>')}</code>`;
}

function valueHtml(field: DetailField): string {
  const value =
    field.kind === 'serial' ? serialHtml(field.value) : field.kind === 'id' ? idHtml(field.value) : esc(field.value);
  return `${value}${field.note ? ` ${esc(field.note)}` : ''}`;
}

function sectionHtml(section: DetailSection, top: boolean, h: string): string {
  const fields = section.fields
    .map(
      (f) =>
        `<dt>${esc(f.label)}</dt><dd data-field="${esc(f.label.toLowerCase().replace(/\s+/g, '-'))}">${valueHtml(f)}</dd>`,
    )
    .join('');
  return (
    `<section data-section="${esc(section.id)}"${top ? ` id="${esc(section.id)}"` : ''}><${h}>${esc(section.title)}</${h}>` +
    (fields ? `<dl>${fields}</dl>` : '') +
    (section.prose !== undefined ? `<p class="claim">${esc(section.prose)}</p>` : '') +
    '</section>'
  );
}

/**
 * @param top the outermost view carries the ids the page and its tests address (#verdict, #steps, …).
 *
 * @example verdictHtml(credentialVerdict(report)) // '<div id="verdict" class="verdict bad" …'
 */
export function verdictHtml(view: VerdictView, top = true): string {
  const id = (name: string) => (top ? ` id="${name}"` : '');
  // Headings: h2 for the parts of the outermost verdict, h3 inside (and for an inner credential's parts).
  const h2 = top ? 'h2' : 'h4';
  const h3 = top ? 'h3' : 'h4';
  const headline =
    `<div${id('verdict')} class="verdict ${CLASS[view.outcome === 'failed' ? 'fail' : view.outcome === 'warnings' ? 'warn' : 'ok']}" data-outcome="${view.outcome}">` +
    `${mark({ mark: view.outcome === 'failed' ? 'fail' : view.outcome === 'warnings' ? 'warn' : 'ok' })} ${esc(view.title)}` +
    (view.reason ? `<span class="reason">${esc(view.reason)}</span>` : '') +
    '</div>';
  const checks =
    `<${h2}>Checks <span class="muted">(${esc(view.what)})</span></${h2}><ul class="steps"${id('steps')}>${view.checks.map((c) => lineHtml(c, 'data-step')).join('')}</ul>` +
    (view.notRun ? `<p class="muted">${esc(view.notRun)}</p>` : '');
  const evidence =
    view.evidence.length > 0
      ? `<${h2}>Keys and anchors</${h2}><ul class="steps">${view.evidence.map((e) => lineHtml(e, 'data-evidence')).join('')}</ul>`
      : '';
  const warnings =
    view.warnings.length > 0
      ? `<${h2}>Warnings</${h2}><ul class="steps"${id('warnings')}>${view.warnings
          .map((w) =>
            lineHtml(
              { ...w, name: w.code ?? 'warning', message: `${w.name} ${w.message ?? ''}`.trim() },
              'data-warning',
            ),
          )
          .join('')}</ul>`
      : '';
  const sections = view.sections.map((s) => sectionHtml(s, top, h3)).join('');
  const facts =
    sections === ''
      ? ''
      : view.attested
        ? `<div class="attested" data-attested><${h2}>What it says</${h2}>${sections}</div>`
        : `<section class="unverified" data-unverified${id('unverified')}><${h2}>Unverified content</${h2}>` +
          '<p>Verification failed, so nothing here is attested by the issuer or by this registry. It is what the input claims, shown only to help find what is wrong: do not rely on it.</p>' +
          `<details><summary>Show what the input claims</summary>${sections}</details></section>`;
  const inner = view.inner
    .map(
      (i) =>
        `<section class="inner" data-inner="${esc(i.label)}"><${h3}>${esc(i.label)}</${h3}>${verdictHtml(i.view, false)}</section>`,
    )
    .join('');
  return view.attested
    ? `${headline}${facts}${checks}${evidence}${warnings}${inner}`
    : `${headline}${checks}${evidence}${warnings}${facts}${inner}`;
}
