import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { verifyCredential } from '../../src/verify/credential.js';
import { ROOT } from '../helpers.js';

const read = (...path: string[]) => JSON.parse(readFileSync(join(ROOT, ...path), 'utf8')) as unknown;
const credential = read('examples', 'cobalt', 'issuance.signed.json');
const didDocuments = [read('examples', 'keys', 'registry.mineral-credits.example.did.json')];
const boom = () => {
  throw new Error('boom');
};

// (The status step turns a throwing resolver into STATUS_UNAVAILABLE itself.)
describe('verifyCredential: a check that throws fails its own step, not decode', () => {
  it('positive control: the example verifies', async () => {
    const report = await verifyCredential(credential, { didDocuments });
    expect(report.verified, JSON.stringify(report.steps)).toBe(true);
  });

  it.each([
    ['validation', { validator: boom }],
    ['validity', { clock: boom }],
  ] as const)('a check that throws during %s fails that step', async (name, options) => {
    const report = await verifyCredential(credential, { didDocuments, ...(options as object) });
    expect(report.verified).toBe(false);
    const failed = report.steps.find((s) => !s.ok);
    expect(failed).toMatchObject({ name, code: 'INTERNAL_ERROR', message: 'boom' });
    // The steps before it ran and passed.
    expect(report.steps.slice(0, -1).every((s) => s.ok)).toBe(true);
    expect(report.steps.find((s) => s.name === 'decode')?.ok).toBe(true);
  });
});
