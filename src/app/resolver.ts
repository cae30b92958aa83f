import { UntpCreditsError } from '../errors.js';
import type { RegistryService } from './service.js';

/**
 * The UNTP Identity Resolver (ISO/IEC 18975 link resolution, RFC 9264 linksets; docs/integration.md)
 * for the registry's identifiers: `/id/<kind>/<id>` under the public URL. Reads go through the
 * application layer; the HTTP route only negotiates (linkset or 307 redirect).
 */

/** The UNTP link-type namespace; `untp:<name>` is its short form. */
export const UNTP_LINK_TYPES = 'https://test.uncefact.org/vocabulary/linkTypes/';
export const LINK_TYPE_DCC = `${UNTP_LINK_TYPES}dcc`;
/** IANA relation types for the links UNTP has no type for. */
export const LINK_TYPE_STATEMENT = 'describedby';
export const LINK_TYPE_BUNDLE = 'alternate';
export const LINK_TYPE_RECORD = 'related';
export const LINK_TYPE_ISSUER = 'author';

export const IDENTIFIER_KINDS = ['retirement', 'issuance', 'serial', 'block', 'site', 'account'] as const;
export type IdentifierKind = (typeof IDENTIFIER_KINDS)[number];

/** One link target, as RFC 9264 and the UNTP linkset schema write it. */
export interface LinkTarget {
  href: string;
  title: string;
  type: string;
  hreflang: string[];
  /** `predecessor-version` on an older version (IDR-10). */
  rel?: string[];
}

export interface Resolution {
  anchor: string;
  /** Relation type → targets, current versions first. */
  links: Record<string, LinkTarget[]>;
  /** The default target for a browser, and for a client asking for `application/vc+jwt`. */
  defaults: { html: string; credential?: string };
}

const LANG = ['en'];
const PAGE_LIMIT = 100;

/** The resolver URL of an identifier. */
export function resolverUrl(publicUrl: string, kind: IdentifierKind, id: string): string {
  return `${publicUrl.replace(/\/+$/, '')}/id/${kind}/${encodeURIComponent(id)}`;
}

/** A link type as given (`untp:dcc`, a full IRI, an IANA name), as the linkset's member name. */
export function expandLinkType(linkType: string): string {
  return linkType.startsWith('untp:') ? `${UNTP_LINK_TYPES}${linkType.slice(5)}` : linkType;
}

function add(links: Record<string, LinkTarget[]>, rel: string, target: LinkTarget): void {
  const list = (links[rel] ??= []);
  if (!list.some((t) => t.href === target.href && t.type === target.type)) list.push(target);
}

const older = (target: LinkTarget, isOld: boolean): LinkTarget =>
  isOld ? { ...target, rel: ['predecessor-version'] } : target;

type Reads = Pick<
  RegistryService,
  'getRetirement' | 'getIssuance' | 'lookupSerial' | 'holdings' | 'searchIssuances' | 'searchRetirements'
>;

/** Every version of an amendment (or correction) chain, oldest first. */
async function chain<T extends { replaces?: string; replacedBy?: string }>(
  first: T,
  get: (id: string) => Promise<T | undefined>,
): Promise<T[]> {
  const versions = [first];
  for (let at = first; at.replaces !== undefined;) {
    const previous = await get(at.replaces);
    if (!previous) break;
    versions.unshift(previous);
    at = previous;
  }
  for (let at = first; at.replacedBy !== undefined;) {
    const next = await get(at.replacedBy);
    if (!next) break;
    versions.push(next);
    at = next;
  }
  return versions;
}

function retirementLinks(publicUrl: string, links: Record<string, LinkTarget[]>, id: string, isOld: boolean): void {
  const base = `${publicUrl}/registry/retirements/${encodeURIComponent(id)}`;
  add(
    links,
    LINK_TYPE_DCC,
    older(
      { href: `${base}/credential`, title: `Retirement credential ${id}`, type: 'application/vc+jwt', hreflang: LANG },
      isOld,
    ),
  );
  add(
    links,
    LINK_TYPE_STATEMENT,
    older({ href: base, title: `Retirement statement ${id}`, type: 'text/html', hreflang: LANG }, isOld),
  );
  add(
    links,
    LINK_TYPE_BUNDLE,
    older(
      {
        href: `${base}/bundle`,
        title: `Offline verification bundle of ${id}`,
        type: 'application/json',
        hreflang: LANG,
      },
      isOld,
    ),
  );
  add(
    links,
    LINK_TYPE_RECORD,
    older(
      {
        href: base,
        title: `Registry record of ${id} with its transparency-log entry`,
        type: 'application/json',
        hreflang: LANG,
      },
      isOld,
    ),
  );
}

function issuanceLinks(publicUrl: string, links: Record<string, LinkTarget[]>, id: string, isOld: boolean): void {
  const base = `${publicUrl}/registry/issuances/${encodeURIComponent(id)}`;
  add(
    links,
    LINK_TYPE_DCC,
    older(
      { href: `${base}/credential`, title: `Issuance credential ${id}`, type: 'application/vc+jwt', hreflang: LANG },
      isOld,
    ),
  );
  add(
    links,
    LINK_TYPE_RECORD,
    older(
      {
        href: base,
        title: `Registry record of issuance ${id} with its transparency-log entry`,
        type: 'application/json',
        hreflang: LANG,
      },
      isOld,
    ),
  );
}

/**
 * The links of one identifier, or undefined when the registry has no such thing. Codes:
 * REQUEST_INVALID (an unknown kind, or a serial or block that is not `<prefix>-<n>` /
 * `<prefix>-<start>-<end>`).
 *
 * @example
 *   const r = await resolveIdentifier(service, 'https://registry.example', 'retirement', 'RET-2026-0007');
 *   r?.links['https://test.uncefact.org/vocabulary/linkTypes/dcc'][0].href; // …/registry/retirements/RET-2026-0007/credential
 */
export async function resolveIdentifier(
  reads: Reads,
  publicUrl: string,
  kind: string,
  id: string,
): Promise<Resolution | undefined> {
  const root = publicUrl.replace(/\/+$/, '');
  if (!(IDENTIFIER_KINDS as readonly string[]).includes(kind))
    throw new UntpCreditsError('REQUEST_INVALID', `identifier kinds are ${IDENTIFIER_KINDS.join(', ')}`, {
      path: 'kind',
    });
  const anchor = resolverUrl(root, kind as IdentifierKind, id);
  const links: Record<string, LinkTarget[]> = {};
  const issuer = () =>
    add(links, LINK_TYPE_ISSUER, {
      href: `${root}/.well-known/did.json`,
      title: 'Issuer DID document (the registry)',
      type: 'application/did+json',
      hreflang: LANG,
    });

  if (kind === 'retirement') {
    const record = await reads.getRetirement(id);
    if (!record) return undefined;
    const versions = await chain(record, (v) => reads.getRetirement(v));
    const current = versions[versions.length - 1]!;
    for (const v of [...versions].reverse()) retirementLinks(root, links, v.retirementId, v !== current);
    issuer();
    const base = `${root}/registry/retirements/${encodeURIComponent(current.retirementId)}`;
    return { anchor, links, defaults: { html: base, credential: `${base}/credential` } };
  }
  if (kind === 'issuance') {
    const record = await reads.getIssuance(id);
    if (!record) return undefined;
    const versions = await chain(record, (v) => reads.getIssuance(v));
    const current = versions[versions.length - 1]!;
    for (const v of [...versions].reverse()) issuanceLinks(root, links, v.issuanceId, v !== current);
    issuer();
    const base = `${root}/registry/issuances/${encodeURIComponent(current.issuanceId)}`;
    return { anchor, links, defaults: { html: base, credential: `${base}/credential` } };
  }
  if (kind === 'serial' || kind === 'block') {
    const match = kind === 'block' ? /^(.+)-(\d{1,16})-(\d{1,16})$/.exec(id) : /^(.+)-(\d{1,16})$/.exec(id);
    if (!match)
      throw new UntpCreditsError(
        'REQUEST_INVALID',
        kind === 'block' ? 'a serial block is <prefix>-<start>-<end>' : 'a serial is <prefix>-<n>',
        { path: 'id' },
      );
    const prefix = match[1]!;
    const ends = kind === 'block' ? [match[2]!, match[3]!] : [match[2]!];
    const found = await Promise.all(ends.map((n) => reads.lookupSerial(`${prefix}-${n}`)));
    if (found.some((f) => f === undefined)) return undefined;
    const first = found[0]!;
    if (
      found.some((f) => f!.issuance.issuanceId !== first.issuance.issuanceId) ||
      Number(ends[0]) > Number(ends.at(-1))
    )
      return undefined;
    let html: string | undefined;
    let credential: string | undefined;
    for (const f of found) {
      if (f?.retirement) {
        retirementLinks(root, links, f.retirement.retirementId, false);
        const base = `${root}/registry/retirements/${encodeURIComponent(f.retirement.retirementId)}`;
        html ??= base;
        credential ??= `${base}/credential`;
      }
    }
    issuanceLinks(root, links, first.issuance.issuanceId, false);
    const serialUrl = `${root}/registry/serials/${encodeURIComponent(`${prefix}-${ends[0]}`)}`;
    add(links, LINK_TYPE_RECORD, {
      href: serialUrl,
      title: `Ledger state of serial ${prefix}-${ends[0]}`,
      type: 'application/json',
      hreflang: LANG,
    });
    issuer();
    const issuanceBase = `${root}/registry/issuances/${encodeURIComponent(first.issuance.issuanceId)}`;
    return {
      anchor,
      links,
      defaults: { html: html ?? serialUrl, credential: credential ?? `${issuanceBase}/credential` },
    };
  }
  if (kind === 'site') {
    const page = await reads.searchIssuances({ site: id }, { limit: PAGE_LIMIT });
    if (page.items.length === 0) return undefined;
    for (const record of page.items) issuanceLinks(root, links, record.issuanceId, false);
    const search = `${root}/registry/search/issuances?site=${encodeURIComponent(id)}`;
    add(links, LINK_TYPE_RECORD, {
      href: search,
      title: 'Every issuance for this production site (search)',
      type: 'application/json',
      hreflang: LANG,
    });
    issuer();
    return { anchor, links, defaults: { html: search, credential: links[LINK_TYPE_DCC]![0]!.href } };
  }
  // account
  const holdings = await reads.holdings(id);
  if (!holdings) return undefined;
  const page = await reads.searchRetirements({ account: id }, { limit: PAGE_LIMIT });
  for (const record of page.items) retirementLinks(root, links, record.retirementId, false);
  const holdingsUrl = `${root}/registry/accounts/${encodeURIComponent(id)}/holdings`;
  add(links, LINK_TYPE_RECORD, {
    href: holdingsUrl,
    title: `Holdings of account ${id}`,
    type: 'application/json',
    hreflang: LANG,
  });
  issuer();
  return { anchor, links, defaults: { html: holdingsUrl } };
}

/** The RFC 9264 linkset (application/linkset+json) of a resolution. */
export function linksetOf(resolution: Resolution): { linkset: Array<Record<string, unknown>> } {
  return { linkset: [{ anchor: resolution.anchor, ...resolution.links }] };
}

/**
 * Where a request without `linkType=all` goes (IDR-07, IDR-08, IDR-10): the current target of the
 * requested link type in the first requested language that has one (else any language), or, when
 * none matches or none was asked for, the default — the credential for a client asking for
 * `application/vc+jwt`, the page otherwise.
 */
export function chooseTarget(
  resolution: Resolution,
  request: { linkType?: string; wantsCredential: boolean; languages: string[] },
): string {
  const fallback =
    request.wantsCredential && resolution.defaults.credential !== undefined
      ? resolution.defaults.credential
      : resolution.defaults.html;
  const targets = request.linkType ? resolution.links[expandLinkType(request.linkType)] : undefined;
  if (!targets || targets.length === 0) return fallback;
  const current = targets.filter((t) => !t.rel?.includes('predecessor-version'));
  const pool = current.length > 0 ? current : targets;
  for (const lang of request.languages) {
    const base = lang.toLowerCase().split('-')[0]!;
    const hit = pool.find((t) =>
      t.hreflang.some((h) => h.toLowerCase() === lang.toLowerCase() || h.toLowerCase() === base),
    );
    if (hit) return hit.href;
  }
  return pool[0]!.href;
}

/** The resolver description served at /.well-known/resolver. */
export function resolverDescription(publicUrl: string, name: string): Record<string, unknown> {
  const root = publicUrl.replace(/\/+$/, '');
  return {
    name: `${name} identity resolver`,
    resolverRoot: `${root}/id/`,
    supportedLinkType: [
      { namespace: UNTP_LINK_TYPES, prefix: 'untp:', linkTypes: [LINK_TYPE_DCC] },
      {
        namespace: 'https://www.iana.org/assignments/link-relations/',
        linkTypes: [LINK_TYPE_STATEMENT, LINK_TYPE_BUNDLE, LINK_TYPE_RECORD, LINK_TYPE_ISSUER],
      },
    ],
    supportedPrimaryKeys: IDENTIFIER_KINDS.map((kind) => ({ kind, template: `${root}/id/${kind}/{id}` })),
    linkTypeQuery: { all: 'linkType=all', linkset: 'linkType=linkset', mediaType: 'application/linkset+json' },
    languages: LANG,
  };
}
