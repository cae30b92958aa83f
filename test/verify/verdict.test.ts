import { describe, expect, it } from 'vitest';
import { bundleVerdict, formatBundleReport } from '../../src/bundle/text.js';
import type { BundleReport } from '../../src/bundle/verify.js';
import { formatVerificationReport } from '../../src/cli/verify.js';
import type { StatusListResolver } from '../../src/verify/status.js';
import { credentialVerdict, verdictLines } from '../../src/verify/verdict.js';
import { verify } from '../../src/verify/verify.js';
import { readJson, ROOT } from '../helpers.js';
import { validate } from '../../src/validate/validate.js';
import { reportFromValidation } from '../../src/verify/report.js';
import { join } from 'node:path';

// The committed example: the cobalt retirement signed by the example registry key.
const retirement = readJson(join(ROOT, 'examples/cobalt/retirement.signed.json')) as { id: string };
const registryDid = readJson(join(ROOT, 'examples/keys/registry.mineral-credits.example.did.json'));
const base = { didDocuments: [registryDid], clock: () => new Date('2026-07-01T00:00:00Z') };
const valid: StatusListResolver = { check: async () => ({ status: 'valid' }) };

/** The signed payload, read without checking (what the test expects the view to show). */
function payload() {
  const jws = retirement.id.slice('data:application/vc+jwt,'.length);
  return JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8'));
}

/** The credential with one character of its signature changed. */
function tampered(): string {
  const jws = retirement.id.slice('data:application/vc+jwt,'.length);
  const [head, payload, signature] = jws.split('.') as [string, string, string];
  const i = 10;
  return `${head}.${payload}.${signature.slice(0, i)}${signature[i] === 'A' ? 'B' : 'A'}${signature.slice(i + 1)}`;
}

describe('the verdict view (one renderer for the CLI and the pages)', () => {
  it('a verified credit credential: every check ✔, its facts attested, the claim boundary in words', async () => {
    const view = credentialVerdict(await verify(retirement, { ...base, status: valid }));
    expect(view).toMatchObject({ outcome: 'verified', title: 'Verified', attested: true, warnings: [] });
    expect(view.checks.map((c) => `${c.mark} ${c.name}`)).toEqual([
      'ok decode',
      'ok header',
      'ok key',
      'ok signature',
      'ok validation',
      'ok validity',
      'ok status',
    ]);
    expect(view.sections.map((s) => s.id)).toEqual(['credential', 'credits', 'claim-boundary']);
    const credits = view.sections.find((s) => s.id === 'credits')!;
    const block = payload().credentialSubject.creditRetirement.retiredUnits[0].serialBlock;
    expect(credits.fields.find((f) => f.kind === 'serial')).toMatchObject({
      value: `${block.prefix} ${block.start}–${block.end}`,
    });
    expect(view.sections.find((s) => s.id === 'claim-boundary')!.prose).toContain(
      'not a claim that any physical product contains this material',
    );
    const lines = verdictLines('retirement.json', view);
    expect(lines[0]).toBe('✔ retirement.json  verified  credential jose');
    const id = payload().credentialSubject.creditRetirement.retirementId;
    expect(lines.at(-1)).toBe(`    issuer did:web:registry.mineral-credits.example  retirement ${id}`);
  });

  it('an unchecked status (STATUS_UNAVAILABLE) is a warning, never a ✔, and is said once', async () => {
    const report = await verify(retirement, base);
    expect(report.verified).toBe(true);
    const view = credentialVerdict(report);
    expect(view.outcome).toBe('warnings');
    expect(view.title).toBe('Verified, with warnings');
    expect(view.checks.find((c) => c.name === 'status')).toMatchObject({ mark: 'warn', code: 'STATUS_UNAVAILABLE' });
    const text = formatVerificationReport('retirement.json', report);
    expect(text.split('\n')[0]).toBe(
      '⚠ retirement.json  verified, with warnings (status: STATUS_UNAVAILABLE)  credential jose',
    );
    expect(text).not.toMatch(/✔ status/);
    expect(text.match(/STATUS_UNAVAILABLE/g)).toHaveLength(2); // the headline and the status line
  });

  it('one changed signature character: not verified, the facts are unverified content, later checks not run', async () => {
    const report = await verify(tampered(), { ...base, status: valid });
    const view = credentialVerdict(report);
    expect(view).toMatchObject({ outcome: 'failed', attested: false, reason: 'signature: SIGNATURE_INVALID' });
    expect(view.notRun).toBe('Checks after signature were not run.');
    const lines = verdictLines('x.json', view);
    expect(lines[0]).toBe('✘ x.json  NOT verified (signature: SIGNATURE_INVALID)  credential jose');
    // The issuer and ids appear only on the unverified-content line.
    const naming = lines.filter((l) => l.includes('did:web:registry.mineral-credits.example'));
    const id = payload().credentialSubject.creditRetirement.retirementId;
    expect(naming).toEqual([
      `    unverified content (no check vouches for it): issuer did:web:registry.mineral-credits.example  retirement ${id}`,
    ]);
  });

  it('a failed validation lists its errors under the check', async () => {
    const credential = { ...(readJson(join(ROOT, 'examples/cobalt/retirement.json')) as object), type: 'Nonsense' };
    const view = credentialVerdict(reportFromValidation(credential, await validate(credential)));
    expect(view).toMatchObject({ outcome: 'failed', attested: false });
    const check = view.checks.find((c) => c.name === 'validation')!;
    expect(check.mark).toBe('fail');
    expect(check.sub?.[0]).toMatch(/^error [A-Z_]+ \//);
    expect(verdictLines('x.json', view)).toContain(`        ${check.sub![0]}`);
  });

  it('a bundle trusted only through the keys it carries (UNTRUSTED_KEY) warns, with the key as evidence', () => {
    const report: BundleReport = {
      verified: true,
      kind: 'bundle',
      issuer: 'did:web:registry.example',
      retirementId: 'RET-1',
      credentialId: 'urn:uuid:1',
      bundledAt: '2026-07-01T00:00:00Z',
      statusAsOf: '2026-07-01T00:00:00Z',
      retirement: null,
      retirementJws: null,
      revoked: false,
      steps: ['format', 'manifest', 'digests', 'status-lists', 'retirement', 'issuances', 'status', 'arithmetic']
        .map((name) => ({ name: name as BundleReport['steps'][number]['name'], ok: true }))
        .concat([
          { name: 'trust', ok: true, code: 'UNTRUSTED_KEY', message: 'k1 (retirement): only in the bundle' } as never,
        ]),
      keys: [
        {
          keyId: 'did:web:registry.example#k1',
          trusted: false,
          source: 'bundle',
          documentSource: 'bundle',
          usedFor: ['retirement'],
          message: 'only in the bundle',
        } as never,
      ],
      anchors: [],
      credentials: [],
      warnings: [{ code: 'UNTRUSTED_KEY', path: '', message: 'k1 (retirement): only in the bundle' }],
    };
    const view = bundleVerdict(report);
    expect(view.outcome).toBe('warnings');
    expect(view.evidence[0]).toMatchObject({ mark: 'warn' });
    const text = formatBundleReport('r.bundle.json', report);
    expect(text.split('\n')[0]).toBe('⚠ r.bundle.json  verified, with warnings (trust: UNTRUSTED_KEY)  bundle');
    expect(text).toContain('⚠ trust UNTRUSTED_KEY');
    expect(text).not.toMatch(/✔ trust/);
    expect(bundleVerdict({ ...report, verified: false, steps: report.steps.slice(0, 2) })).toMatchObject({
      outcome: 'failed',
      attested: false,
    });
  });
});
