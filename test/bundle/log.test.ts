import { beforeAll, describe, expect, it } from 'vitest';
import { bundleVerdict } from '../../src/bundle/text.js';
import { verifyBundle, type BundleReport } from '../../src/bundle/verify.js';
import { digestMultibase } from '../../src/lib/digest.js';
import { ed25519NoteSigner, parseSignedNote, signNote } from '../../src/log/index.js';
import { LocalDidStore } from '../../src/keys/resolver.js';
import { parseTrustFile, trustedLogs } from '../../src/trust/trust-file.js';
import { verify } from '../../src/verify/verify.js';
import { LOG_ORIGIN, logKeys, loggedStory, type LoggedStory } from './log-fixture.js';

const failed = (r: BundleReport) => r.steps.filter((s) => !s.ok).map((s) => `${s.name}:${s.code}`);
const logStep = (r: BundleReport) => r.steps.find((s) => s.name === 'log');

describe('bundles and the transparency log', () => {
  let story: LoggedStory;
  beforeAll(async () => {
    story = await loggedStory();
  });

  it('verifies inclusion and the required witness cosignature: "retired once up to size S"', async () => {
    const report = await verifyBundle(story.logged, { trust: story.logTrust, requireLog: true });
    expect(failed(report)).toEqual([]);
    expect(report.verified).toBe(true);
    expect(report.steps.map((s) => s.name)).toContain('log');
    expect(logStep(report)).toMatchObject({ ok: true });
    expect(logStep(report)?.code).toBeUndefined();
    expect(logStep(report)?.message).toContain(`retired once up to size 7`);
    expect(report.log).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ role: 'retirement', index: 4, treeSize: 7, attestedUpTo: 7, origin: LOG_ORIGIN }),
        expect.objectContaining({ role: 'issuance', index: 2, attestedUpTo: 7, witnesses: ['witness.example/w1'] }),
      ]),
    );
    expect(bundleVerdict(report).outcome).toBe('verified');
  });

  it('inclusion alone (no witnesses pinned) is reported as inclusion, never as "retired once"', async () => {
    const report = await verifyBundle(story.logged, {
      trust: story.trustWith({ witnesses: [], witnessThreshold: 0 }),
    });
    expect(report.verified).toBe(true);
    expect(logStep(report)?.message).toContain('inclusion only');
    expect(logStep(report)?.message).not.toContain('retired once');
    expect(report.log?.every((l) => l.attestedUpTo === undefined)).toBe(true);
  });

  it('a required witness cosignature that is missing or forged fails LOG_WITNESS_THRESHOLD_UNMET', async () => {
    const bare = await loggedStory({ witness: false, keys: story.keys });
    expect(failed(await verifyBundle(bare.logged, { trust: bare.logTrust }))).toEqual([
      'log:LOG_WITNESS_THRESHOLD_UNMET',
    ]);
    // A cosignature by a witness key the verifier did not pin does not count.
    const stranger = logKeys();
    const other = await loggedStory({ witness: true, keys: { ...story.keys, witnessSecret: stranger.witnessSecret } });
    expect(failed(await verifyBundle(other.logged, { trust: other.logTrust }))).toEqual([
      'log:LOG_WITNESS_THRESHOLD_UNMET',
    ]);
  });

  it('a tampered proof fails LOG_PROOF_INVALID', async () => {
    const proof = [...story.evidence.retirement.proof];
    proof[0] = Buffer.alloc(32, 7).toString('base64');
    const tampered = { ...story.logged, log: [{ ...story.evidence.retirement, proof }, story.evidence.issuance] };
    const report = await verifyBundle(tampered, { trust: story.logTrust });
    expect(failed(report)).toEqual(['log:LOG_PROOF_INVALID']);
    expect(bundleVerdict(report).outcome).toBe('failed');
  });

  it('an entry with another credentialDigest fails LOG_ENTRY_MISMATCH (the log signed correctly)', async () => {
    const wrong = await loggedStory({ retirementDigest: digestMultibase('another credential'), keys: story.keys });
    expect(failed(await verifyBundle(wrong.logged, { trust: wrong.logTrust }))).toEqual(['log:LOG_ENTRY_MISMATCH']);
    // The issuance's entry offered for the retirement: another credential id.
    const swapped = {
      ...story.logged,
      log: [{ ...story.evidence.issuance, credentialId: story.evidence.retirement.credentialId }],
    };
    expect(failed(await verifyBundle(swapped, { trust: story.logTrust }))).toContain('log:LOG_ENTRY_MISMATCH');
  });

  it('a missing entry fails LOG_ENTRY_MISSING', async () => {
    const missing = { ...story.logged, log: [story.evidence.issuance] };
    const report = await verifyBundle(missing, { trust: story.logTrust });
    expect(failed(report)).toEqual(['log:LOG_ENTRY_MISSING']);
    expect(failed(await verifyBundle(story.bundle, { trust: story.logTrust }))).toEqual(['log:LOG_ENTRY_MISSING']);
  });

  it('a checkpoint signed by another log key fails (LOG_NOTE_UNVERIFIED), even with a valid proof', async () => {
    const forger = logKeys();
    const parsed = parseSignedNote(story.evidence.retirement.checkpoint);
    const forged = await signNote(parsed.text, [ed25519NoteSigner(LOG_ORIGIN, forger.logSecret)]);
    const bundle = {
      ...story.logged,
      log: [story.logged.log![0]!, story.logged.log![1]!].map((e) => ({ ...e, checkpoint: forged })),
    };
    expect(failed(await verifyBundle(bundle, { trust: story.logTrust }))).toEqual(['log:LOG_NOTE_UNVERIFIED']);
  });

  it('without a log key the log step warns LOG_NOT_CHECKED (never ✔); --require-log fails LOG_KEY_NOT_PINNED', async () => {
    const report = await verifyBundle(story.logged, { trust: story.trust });
    expect(report.verified).toBe(true);
    expect(logStep(report)).toMatchObject({ ok: true, code: 'LOG_NOT_CHECKED' });
    const view = bundleVerdict(report);
    expect(view.outcome).toBe('warnings');
    expect(view.checks.find((c) => c.name === 'log')?.mark).toBe('warn');
    expect(failed(await verifyBundle(story.logged, { trust: story.trust, requireLog: true }))).toEqual([
      'log:LOG_KEY_NOT_PINNED',
    ]);
  });

  it('no pinned trust (keys only from the DID documents the bundle carries) fails TRUST_NOT_PINNED; allowUntrusted makes it a warning', async () => {
    const loose = await verifyBundle(story.logged);
    expect(failed(loose)).toEqual(['trust:TRUST_NOT_PINNED']);
    expect(loose.verified).toBe(false);
    const allowed = await verifyBundle(story.logged, { allowUntrusted: true });
    expect(allowed.verified).toBe(true);
    expect(allowed.steps.find((s) => s.name === 'trust')).toMatchObject({ ok: true, code: 'TRUST_NOT_PINNED' });
    expect(allowed.warnings.map((w) => w.code)).toContain('TRUST_NOT_PINNED');
    const view = bundleVerdict(allowed);
    expect(view.outcome).toBe('warnings');
    expect(view.checks.find((c) => c.name === 'trust')?.mark).toBe('warn');
    // A DID document the verifier gave itself counts as pinned trust.
    const local = new LocalDidStore();
    local.add(story.registry.didDocument);
    expect(failed(await verifyBundle(story.logged, { local }))).toEqual([]);
  });
});

describe('verify(): the log step of a credit credential', () => {
  let story: LoggedStory;
  beforeAll(async () => {
    story = await loggedStory();
  });
  const options = () => ({ didDocuments: [story.registry.didDocument], logs: trustedLogs(story.logTrust) });

  it('a pinned log with evidence: a passing log step and report.log', async () => {
    const { credentialId: _, ...evidence } = story.evidence.retirement;
    const report = await verify(story.retirementJws, { ...options(), logEvidence: evidence, requireLog: true });
    expect(report.steps.find((s) => s.name === 'log')).toMatchObject({ ok: true });
    expect(report.log).toMatchObject({ index: 4, treeSize: 7, attestedUpTo: 7 });
  });

  it('a credit credential with no log evidence fails LOG_ENTRY_MISSING when its log is pinned, or with requireLog', async () => {
    const pinned = await verify(story.retirementJws, options());
    expect(pinned.verified).toBe(false);
    expect(pinned.steps.find((s) => !s.ok)).toMatchObject({ name: 'log', code: 'LOG_ENTRY_MISSING' });
    const required = await verify(story.retirementJws, {
      didDocuments: [story.registry.didDocument],
      requireLog: true,
    });
    expect(required.steps.find((s) => !s.ok)).toMatchObject({ name: 'log', code: 'LOG_KEY_NOT_PINNED' });
    // Unpinned and not required: no log step at all (nothing is claimed either way).
    const plain = await verify(story.retirementJws, { didDocuments: [story.registry.didDocument] });
    expect(plain.steps.find((s) => s.name === 'log')).toBeUndefined();
  });

  it('a status list credential (not a credit credential) gets no log step, even under requireLog', async () => {
    const report = await verify(story.listJws, { ...options(), requireLog: true });
    expect(report.steps.find((s) => s.name === 'log')).toBeUndefined();
  });
});

describe('trust files name the log key and witnesses', () => {
  it('reads version 2 log members and refuses a wrong key type or threshold, naming the field', () => {
    const keys = logKeys();
    const base = { type: 'UntpCreditsTrust', version: 2, roots: [], anchors: [] };
    const issuer = { did: 'did:web:r.example', keys: ['A'.repeat(43)] };
    const trust = parseTrustFile({
      ...base,
      issuers: [{ ...issuer, log: { keys: [keys.logVkey], witnesses: [keys.witnessVkey], witnessThreshold: 1 } }],
    });
    expect(trustedLogs(trust)).toEqual([
      { issuer: 'did:web:r.example', keys: [keys.logVkey], witnesses: [keys.witnessVkey], witnessThreshold: 1 },
    ]);
    const bad = (log: unknown, version = 2) => {
      try {
        parseTrustFile({ ...base, version, issuers: [{ ...issuer, log }] });
        return 'accepted';
      } catch (error) {
        return `${(error as { code: string }).code} ${(error as { path?: string }).path ?? ''}`;
      }
    };
    expect(bad({ keys: [keys.witnessVkey] })).toBe('TRUST_FILE_INVALID /issuers/0/log/keys/0');
    expect(bad({ keys: [keys.logVkey], witnesses: [keys.logVkey] })).toBe(
      'TRUST_FILE_INVALID /issuers/0/log/witnesses/0',
    );
    expect(bad({ keys: [keys.logVkey], witnesses: [keys.witnessVkey], witnessThreshold: 2 })).toBe(
      'TRUST_FILE_INVALID /issuers/0/log/witnessThreshold',
    );
    expect(bad({ keys: [] })).toBe('TRUST_FILE_INVALID /issuers/0/log/keys');
    expect(bad({ keys: [keys.logVkey] }, 1)).toBe('TRUST_FILE_INVALID /version');
    expect(bad({ keys: [keys.logVkey] })).toBe('accepted');
  });
});

describe('status freshness: ttl, validUntil, --max-status-age, the newest snapshot decides', () => {
  let story: LoggedStory;
  beforeAll(async () => {
    story = await loggedStory();
  });
  const DAY = 86_400_000;
  const listWith = async (
    extra: { ttl?: number; validUntil?: string },
    revoked: number[] = [],
    validFrom = '2026-11-01T00:00:00Z',
  ) => {
    const { emptyBitstring, setBit, buildStatusListCredential } = await import('../../src/status/bitstring.js');
    const { sign, STATUS_URL } = await import('./fixture.js');
    let bits = emptyBitstring();
    for (const i of revoked) bits = setBit(bits, i);
    return sign(
      buildStatusListCredential({ url: STATUS_URL, issuer: story.registry.did, bits, validFrom, ...extra }),
      story.registry.signer,
    );
  };
  const bundleWith = async (lists: string[]) => {
    const { buildBundle } = await import('../../src/bundle/build.js');
    return buildBundle(
      {
        retirement: story.retirementJws,
        issuances: [story.issuanceJws],
        statusLists: lists,
        didDocuments: [story.registry.didDocument],
      },
      story.registry.signer,
    );
  };
  const at = (iso: string) => () => new Date(iso);

  it('a snapshot past its ttl is refused (STATUS_SNAPSHOT_STALE); within it, it is used; maxStatusAgeMs replaces the ttl', async () => {
    const bundle = await bundleWith([await listWith({ ttl: DAY })]);
    const fresh = await verifyBundle(bundle, { trust: story.trust, clock: at('2026-11-01T12:00:00Z') });
    expect(failed(fresh)).toEqual([]);
    const stale = await verifyBundle(bundle, { trust: story.trust, clock: at('2026-11-03T00:00:00Z') });
    expect(failed(stale)).toEqual(['status-lists:STATUS_SNAPSHOT_STALE']);
    expect(stale.verified).toBe(false);
    const stricter = await verifyBundle(bundle, {
      trust: story.trust,
      clock: at('2026-11-01T12:00:00Z'),
      maxStatusAgeMs: 3_600_000,
    });
    expect(failed(stricter)).toEqual(['status-lists:STATUS_SNAPSHOT_STALE']);
    // Without a ttl there is no limit unless the verifier sets one.
    const untimed = await bundleWith([await listWith({})]);
    expect(failed(await verifyBundle(untimed, { trust: story.trust, clock: at('2027-06-01T00:00:00Z') }))).toEqual([]);
    expect(
      failed(
        await verifyBundle(untimed, { trust: story.trust, clock: at('2027-06-01T00:00:00Z'), maxStatusAgeMs: DAY }),
      ),
    ).toEqual(['status-lists:STATUS_SNAPSHOT_STALE']);
  });

  it('a snapshot past its validUntil does not verify, so it is not used', async () => {
    const bundle = await bundleWith([await listWith({ validUntil: '2026-11-08T00:00:00Z' })]);
    expect(failed(await verifyBundle(bundle, { trust: story.trust, clock: at('2026-11-05T00:00:00Z') }))).toEqual([]);
    expect(failed(await verifyBundle(bundle, { trust: story.trust, clock: at('2026-11-09T00:00:00Z') }))).toContain(
      'status-lists:STATUS_LIST_INVALID',
    );
  });

  it('with two snapshots of one list, the newest decides (whichever order they come in)', async () => {
    const older = await listWith({}, [], '2026-11-01T00:00:00Z');
    const newer = await listWith({}, [2007], '2026-11-20T00:00:00Z');
    for (const lists of [
      [older, newer],
      [newer, older],
    ]) {
      const report = await verifyBundle(await bundleWith(lists), {
        trust: story.trust,
        clock: at('2026-11-21T00:00:00Z'),
      });
      expect(failed(report)).toEqual(['status:CREDENTIAL_REVOKED']);
      expect(report.statusAsOf).toBe('2026-11-20T00:00:00Z');
    }
  });
});
