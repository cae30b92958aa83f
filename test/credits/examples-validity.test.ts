import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runVerify } from '../../src/cli/verify.js';
import { jwsOf, jwsPayload } from '../../src/lib/digest.js';
import { ROOT } from '../helpers.js';

const EXAMPLES = join(ROOT, 'examples');
/** How long before an example stops verifying this test fails: time to re-date it deliberately. */
const WARN_BEFORE_MS = 366 * 24 * 3600 * 1000;

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir)
    .flatMap((name) => {
      const path = join(dir, name);
      return statSync(path).isDirectory() ? files(path, suffix) : path.endsWith(suffix) ? [path] : [];
    })
    .sort();
}

const signed = files(EXAMPLES, '.signed.json');

describe('the signed examples verify today and for at least a year more', () => {
  it('every signed example verifies with `verify --did-dir examples/keys` (the private JWKs there are skipped)', async () => {
    expect(signed.length).toBeGreaterThanOrEqual(9);
    const lines: string[] = [];
    const errors: string[] = [];
    const code = await runVerify(
      signed,
      { didDir: [join(EXAMPLES, 'keys')], json: true },
      (l) => lines.push(l),
      (l) => errors.push(l),
    );
    expect(errors).toEqual([]);
    const { summary, results } = JSON.parse(lines.join('\n')) as {
      summary: { outcomes: Record<string, number> };
      results: Array<{ file: string; report: { verified: boolean; steps: Array<{ ok: boolean; code?: string }> } }>;
    };
    const failed = results.filter((r) => !r.report.verified);
    expect(
      failed.map((r) => `${relative(ROOT, r.file)}: ${r.report.steps.find((s) => !s.ok)?.code}`),
      'signed examples that do not verify',
    ).toEqual([]);
    expect(summary.outcomes).toMatchObject({ verified: signed.length, failed: 0 });
    expect(code).toBe(0);
  });

  it('no signed example starts later than today or ends within the next year (validFrom/validUntil, nbf/exp)', () => {
    const now = Date.now();
    const problems: string[] = [];
    for (const file of signed) {
      const payload = jwsPayload(jwsOf(readFileSync(file, 'utf8'))) as Record<string, unknown>;
      const name = relative(ROOT, file);
      const from = [payload.validFrom, typeof payload.nbf === 'number' ? payload.nbf * 1000 : undefined];
      const until = [payload.validUntil, typeof payload.exp === 'number' ? payload.exp * 1000 : undefined];
      for (const start of from.filter((v) => v !== undefined))
        if (new Date(start as string | number).getTime() > now)
          problems.push(`${name}: not valid until ${String(start)}`);
      for (const end of until.filter((v) => v !== undefined))
        if (new Date(end as string | number).getTime() < now + WARN_BEFORE_MS)
          problems.push(`${name}: expires ${String(end)}, within a year: re-date it in examples/cases.ts`);
    }
    expect(problems).toEqual([]);
  });
});
