import { describe, expect, it } from 'vitest';
import { validate } from '../../src/index.js';
import { filesIn, fixture } from '../helpers.js';

const TYPE_BY_FOLDER: Record<string, string> = {
  dpp: 'DigitalProductPassport',
  dcc: 'DigitalConformityCredential',
  dfr: 'DigitalFacilityRecord',
  dia: 'DigitalIdentityAnchor',
  dte: 'DigitalTraceabilityEvent',
};

const samples070 = Object.keys(TYPE_BY_FOLDER).flatMap((folder) =>
  filesIn(`untp/0.7.0/${folder}`).map((file) => [folder, file] as const),
);

describe('UNTP v0.7.0 samples', () => {
  it('there are 16 of them', () => {
    expect(samples070).toHaveLength(16);
  });

  it.each(samples070)('%s %s validates as 0.7.0', async (folder, file) => {
    const report = await validate(fixture(file));
    expect(report.errors).toEqual([]);
    expect(report.valid).toBe(true);
    expect(report.untpVersion).toBe('0.7.0');
    expect(report.untpType).toBe(TYPE_BY_FOLDER[folder]);
  });

  it('the conformity scheme (CVC) sample validates as a plain 0.7.0 document', async () => {
    const report = await validate(fixture('untp/0.7.0/cvc/sample-conformity-scheme-v0.7.0.json'));
    expect(report.errors).toEqual([]);
    expect(report.untpType).toBe('ConformityScheme');
  });

  it('the enveloped DPP is decoded and validated, with a warning that its signature was not checked', async () => {
    const report = await validate(fixture('untp/0.7.0/enveloped/sample-enveloped-dpp-v0.7.0.json'));
    expect(report.valid).toBe(true);
    expect(report.untpType).toBe('DigitalProductPassport');
    expect(report.warnings.map((w) => w.code)).toContain('SIGNATURE_NOT_CHECKED');
  });
});

describe('UNTP v0.6.1 samples', () => {
  const samples061 = [...filesIn('untp/0.6.1'), ...filesIn('untp/0.6.1/trust-graph')];
  it.each(samples061)('%s validates as 0.6.1', async (file) => {
    const report = await validate(fixture(file));
    expect(report.errors).toEqual([]);
    expect(report.untpVersion).toBe('0.6.1');
  });
});
