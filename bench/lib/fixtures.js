// The credentials every bench uses: the signed cobalt issuance credit credential (examples/), its
// registry's DID document, and a local revocation list holding its status entry (bit clear).
import { readFileSync } from 'node:fs';
import { buildStatusListCredential } from '../../dist/entry/credits.js';
import { createDidResolver, createStatusResolver } from '../../dist/index.js';
import { emptyBitstring } from '../../dist/status/bitstring.js';

export const readJson = (path) => JSON.parse(readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8'));

const omit = (o, keys) => Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));

/** examples/api/issuance.json without what each bench issuance sets itself (id, quantity, serials, holder). */
export const issuanceDetails = () =>
  omit(readJson('examples/api/issuance.json'), ['issuanceId', 'quantity', 'prefix', 'start', 'end', 'holder']);

/** examples/api/retirement.json without what each bench retirement sets itself (account, id, blocks, serials). */
export const retirementDetails = () =>
  omit(readJson('examples/api/retirement.json'), [
    'account',
    'retirementId',
    'blocks',
    'quantity',
    'serialBlock',
    'ranges',
    'issuanceId',
    'issuanceIds',
  ]);

export const NOW = '2026-06-01T00:00:00Z';
export const enveloped = readJson('examples/cobalt/issuance.signed.json');
export const unsigned = readJson('examples/cobalt/issuance.json');
export const registryDidDocument = readJson('examples/keys/registry.mineral-credits.example.did.json');
export const registryPrivateJwk = readJson('examples/keys/registry.mineral-credits.example.private.jwk.json');
export const jws = enveloped.id.slice('data:application/vc+jwt,'.length);

const entry = unsigned.credentialStatus;
export const statusLists = {
  [entry.statusListCredential]: buildStatusListCredential({
    url: entry.statusListCredential,
    issuer: registryDidDocument.id,
    bits: emptyBitstring(),
    validFrom: '2026-01-01T00:00:00Z',
  }),
};

/** verify() options: the registry's DID document, the local status list, a fixed clock inside the validity window. */
export function verifyOptions() {
  return {
    resolver: createDidResolver({ documents: [registryDidDocument] }),
    status: createStatusResolver(new Map(Object.entries(statusLists))),
    clock: () => new Date(NOW),
  };
}

/** Throws unless `report` passed every step, status included (checked against the list, not skipped). */
export function assertFullyVerified(report, what) {
  const names = report.steps.map((s) => s.name);
  const failed = report.steps.find((s) => !s.ok);
  const status = report.steps.find((s) => s.name === 'status');
  if (
    !report.verified ||
    failed ||
    !names.includes('validation') ||
    !status ||
    status.code !== undefined ||
    report.warnings.length > 0
  ) {
    throw new Error(`${what}: not fully verified: ${JSON.stringify({ failed, status, warnings: report.warnings })}`);
  }
}
