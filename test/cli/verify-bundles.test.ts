import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildBundle } from '../../src/bundle/build.js';
import { runVerify } from '../../src/cli/verify.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { digestMultibase } from '../../src/lib/digest.js';
import { ROOT } from '../helpers.js';
import { cobaltStory, retirementInput, sign, statusList, type CobaltStory } from '../bundle/fixture.js';

function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const REG = 'https://registry.mineral-credits.example';
const dir = mkdtempSync(join(tmpdir(), 'untp-verify-bundles-'));

describe('untp-credits verify: many bundles, double claims, amendments', () => {
  let story: CobaltStory;
  const write = (name: string, value: unknown) => {
    const file = join(dir, name);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, JSON.stringify(value));
    return file;
  };
  const other = (n: string, start: number, end: number, extra: Record<string, unknown> = {}) =>
    retirementInput(story.issuanceJws, {
      id: `${REG}/credentials/retirement/${n}`,
      retirementId: n,
      start,
      end,
      recordUrl: `${REG}/retirements/${n}`,
      credentialStatus: { statusListCredential: `${REG}/status/revocation/1`, statusListIndex: 3000 + start },
      ...extra,
    });
  beforeAll(async () => {
    story = await cobaltStory();
    write('trust.json', story.trust);
    write('set/a.bundle.json', story.bundle);
    write('set/a-again.bundle.json', story.bundle);
    const overlapping = await sign(buildRetirementCredential(other('RET-2026-0099', 60, 70)), story.registry.signer);
    write(
      'set/b.bundle.json',
      await buildBundle(
        {
          retirement: overlapping,
          issuances: [story.issuanceJws],
          statusLists: [story.listJws],
          didDocuments: [story.registry.didDocument],
        },
        story.registry.signer,
      ),
    );
    const amended = await sign(
      buildRetirementCredential(
        other('RET-2026-0007-A1', 41, 65, {
          replaces: {
            id: `${REG}/credentials/retirement/RET-2026-0007`,
            digestMultibase: digestMultibase(story.retirementJws),
          },
        }),
      ),
      story.registry.signer,
    );
    write(
      'amended/a1.bundle.json',
      await buildBundle(
        {
          retirement: amended,
          issuances: [story.issuanceJws],
          statusLists: [await statusList(story.registry.signer, [2007], '2026-11-20T00:00:00Z')],
          didDocuments: [story.registry.didDocument],
        },
        story.registry.signer,
      ),
    );
  });

  it('a directory of bundles with two valid retirements overlapping → DOUBLE_CLAIM with both credential ids (exit 1); a duplicate bundle counts once', async () => {
    const c = capture();
    expect(await runVerify([join(dir, 'set')], { trust: join(dir, 'trust.json'), json: true }, c.out, c.err)).toBe(1);
    const { results } = JSON.parse(c.lines.join('\n')) as {
      results: Array<{
        file: string;
        report: { verified: boolean };
        claims?: Array<{ code: string; credentials: string[] }>;
      }>;
    };
    expect(results.map((r) => r.report.verified)).toEqual([true, true, true]);
    const claims = results.flatMap((r) => r.claims ?? []);
    expect(new Set(claims.map((x) => x.code))).toEqual(new Set(['DOUBLE_CLAIM']));
    expect(claims[0]?.credentials.sort()).toEqual([
      `${REG}/credentials/retirement/RET-2026-0007`,
      `${REG}/credentials/retirement/RET-2026-0099`,
    ]);
    // Reported on every file holding one of the two, once each.
    expect(results.filter((r) => r.claims).map((r) => r.file.split('/').pop())).toEqual([
      'a-again.bundle.json',
      'a.bundle.json',
      'b.bundle.json',
    ]);
    expect(results.every((r) => (r.claims ?? []).length <= 1)).toBe(true);
  });

  it('an amendment pair is not a double claim (exit 0)', async () => {
    const c = capture();
    expect(
      await runVerify(
        [join(dir, 'set', 'a.bundle.json'), join(dir, 'amended')],
        { trust: join(dir, 'trust.json') },
        c.out,
        c.err,
      ),
    ).toBe(0);
    const text = c.lines.join('\n');
    expect(text).toContain('0 double claim(s)');
    expect(text).toContain('left out: revoked (amended by');
  });

  it("a plain (enveloped) old retirement next to its amendment's bundle: the bundle's newer snapshot shows it revoked, so no double claim", async () => {
    const old = write('plain/old-retirement.json', {
      '@context': ['https://www.w3.org/ns/credentials/v2'],
      type: 'EnvelopedVerifiableCredential',
      id: `data:application/vc+jwt,${story.retirementJws}`,
    });
    write('plain/registry.did.json', story.registry.didDocument);
    const c = capture();
    expect(
      await runVerify(
        [old, join(dir, 'amended')],
        { trust: join(dir, 'trust.json'), didDoc: [join(dir, 'plain', 'registry.did.json')] },
        c.out,
        c.err,
      ),
    ).toBe(0);
    const text = c.lines.join('\n');
    expect(text).toContain('0 double claim(s)');
    // Known revoked from the snapshot (not merely superseded by the amendment's `replaces`).
    expect(text).toContain('old-retirement.json');
    expect(text).toContain('RET-2026-0007 left out: revoked (amended by');
    expect(text).not.toContain('SUPERSEDED_NOT_REVOKED');
  });

  it('reads a stream of bundles on stdin (NDJSON), one per line', () => {
    const stream = ['set/a.bundle.json', 'set/b.bundle.json']
      .map((name) => readFileSync(join(dir, name), 'utf8'))
      .join('\n');
    const run = spawnSync(
      process.execPath,
      [join(ROOT, 'dist/cli/main.js'), 'verify', '-', '--trust', join(dir, 'trust.json'), '--json'],
      { input: stream, encoding: 'utf8' },
    );
    expect(run.status, run.stderr).toBe(1);
    const { results, summary } = JSON.parse(run.stdout) as {
      results: Array<{ file: string; claims?: Array<{ code: string }> }>;
      summary: { inputs: number };
    };
    expect(summary.inputs).toBe(2);
    expect(results.map((r) => r.file)).toEqual(['stdin:1', 'stdin:2']);
    expect(results[1]?.claims?.[0]?.code).toBe('DOUBLE_CLAIM');
  });

  it('an unreadable trust file is a usage error (exit 2)', async () => {
    const c = capture();
    expect(
      await runVerify([join(dir, 'set', 'a.bundle.json')], { trust: join(dir, 'missing.json') }, c.out, c.err),
    ).toBe(2);
    expect(c.errors[0]).toContain('TRUST_FILE_UNREADABLE');
  });
});
