import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runValidate } from '../../src/cli/validate.js';
import { FIXTURES, ROOT, fixture } from '../helpers.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, o: (l: string) => out.push(l), e: (l: string) => err.push(l) };
}

const tmp = mkdtempSync(join(tmpdir(), 'untp-validate-'));
const notJson = join(tmp, 'broken.json');
writeFileSync(notJson, '{ "type": [');
const invalid = join(tmp, 'invalid.json');
const dcc = fixture('untp/0.7.0/dcc/ConformityCredential_instance.json');
delete dcc.credentialSubject.assessorLevel;
writeFileSync(invalid, JSON.stringify(dcc));
const valid = join(FIXTURES, 'untp/0.7.0/dte/DigitalTraceabilityEvent_instance.json');

describe('untp-credits validate', () => {
  it('exit 0 and a ✔ line with type and version when all are valid', async () => {
    const c = capture();
    expect(await runValidate([valid], {}, c.o, c.e)).toBe(0);
    expect(c.out[0]).toMatch(/^✔ .*DigitalTraceabilityEvent .*UNTP 0\.7\.0/);
  });

  it('exit 1 with each error and its pointer when any is invalid', async () => {
    const c = capture();
    expect(await runValidate([valid, invalid], {}, c.o, c.e)).toBe(1);
    expect(c.out.join('\n')).toContain('SCHEMA_REQUIRED /credentialSubject/assessorLevel');
    expect(c.out.at(-1)).toMatch(/^2 files: 1 valid, 1 invalid in \d+(\.\d)? s$/);
  });

  it('exit 2 naming a file that is not JSON, and one that is missing', async () => {
    const c = capture();
    expect(await runValidate([notJson, join(tmp, 'missing.json')], {}, c.o, c.e)).toBe(2);
    expect(c.err.join('\n')).toContain(`${notJson}: not JSON`);
    expect(c.err.join('\n')).toContain('missing.json: no such file');
  });

  it('--json prints the reports', async () => {
    const c = capture();
    await runValidate([invalid], { json: true }, c.o, c.e);
    const { results, summary } = JSON.parse(c.out.join('\n'));
    const [result] = results;
    expect(summary).toMatchObject({ inputs: 1, outcomes: { valid: 0, invalid: 1, unreadable: 0 } });
    expect(summary.seconds).toBeGreaterThanOrEqual(0);
    expect(result.report.valid).toBe(false);
    expect(result.report.errors[0]).toHaveProperty('path');
  });

  it('the built binary keeps the exit codes (2 for a non-JSON file, naming it)', () => {
    const run = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'validate', notJson], {
      encoding: 'utf8',
    });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('broken.json');
    const usage = spawnSync(process.execPath, [join(ROOT, 'dist/cli/main.js'), 'validate'], { encoding: 'utf8' });
    expect(usage.status).toBe(2);
  });
});
