import { describe, expect, it } from 'vitest';
import { ArtefactRegistry, validate } from '../../src/index.js';
import { fixture } from '../helpers.js';

const DCC = 'untp/0.7.0/dcc/ConformityCredential_instance.json';
const DPP = 'untp/0.7.0/dpp/DigitalProductPassport_instance.json';
const DCC_SCHEMA = 'https://untp.unece.org/artefacts/schema/v0.7.0/dcc/ConformityCredential.json';

function codesAt(issues: Array<{ code: string; path: string }>, path: string): string[] {
  return issues.filter((i) => i.path === path).map((i) => i.code);
}

describe('validate() reports mutations with the right code and pointer', () => {
  it('a removed required property', async () => {
    const dcc = fixture(DCC);
    delete dcc.credentialSubject.assessorLevel;
    const report = await validate(dcc);
    expect(report.valid).toBe(false);
    const issue = report.errors.find((e) => e.path === '/credentialSubject/assessorLevel');
    expect(issue).toMatchObject({ code: 'SCHEMA_REQUIRED', schemaUrl: DCC_SCHEMA });
  });

  it('a wrong type', async () => {
    const dpp = fixture(DPP);
    dpp.credentialSubject.name = 42;
    const report = await validate(dpp);
    expect(codesAt(report.errors, '/credentialSubject/name')).toContain('SCHEMA_TYPE');
  });

  it('an undefined term is a warning, and an error under strict', async () => {
    const dcc = fixture(DCC);
    dcc.credentialSubject.assessorNickname = 'Bob';
    const report = await validate(dcc);
    expect(report.valid).toBe(true);
    expect(codesAt(report.warnings, '/credentialSubject/assessorNickname')).toEqual(['JSONLD_VOCAB_TERM']);
    const strict = await validate(dcc, { strict: true });
    expect(strict.valid).toBe(false);
    expect(codesAt(strict.errors, '/credentialSubject/assessorNickname')).toEqual(['JSONLD_VOCAB_TERM']);
  });

  it('a term JSON-LD would drop is an error', async () => {
    // Measure is an untyped node with no @vocab: an unknown member there would be lost.
    const dcc = fixture(DCC);
    dcc.credentialSubject.conformityAssessment[0].assessedPerformance[0].measure.precision = 2;
    const report = await validate(dcc);
    const path = '/credentialSubject/conformityAssessment/0/assessedPerformance/0/measure/precision';
    expect(codesAt(report.errors, path)).toContain('JSONLD_TERM_DROPPED');
    expect(codesAt(report.errors, path)).toContain('SCHEMA_ADDITIONAL_PROPERTY');
  });

  it('an unknown context URL is an error naming it, never a fetch', async () => {
    const dcc = fixture(DCC);
    dcc['@context'].push('https://contexts.invalid/never-published/v1');
    const report = await validate(dcc);
    const issue = report.errors.find((e) => e.code === 'CONTEXT_UNKNOWN');
    expect(issue?.message).toContain('https://contexts.invalid/never-published/v1');
  });

  it('a bad date', async () => {
    const dcc = fixture(DCC);
    dcc.validFrom = '2024-13-01T00:00:00Z';
    const report = await validate(dcc);
    expect(codesAt(report.errors, '/validFrom')).toContain('VCDM_DATE');
    const noZone = fixture(DCC);
    noZone.validFrom = '2024-03-01T00:00:00';
    expect(codesAt((await validate(noZone)).errors, '/validFrom')).toContain('VCDM_DATE');
  });

  it('a missing type on a typed node', async () => {
    const dcc = fixture(DCC);
    delete dcc.credentialSubject.conformityAssessment[0].type;
    const report = await validate(dcc);
    expect(codesAt(report.errors, '/credentialSubject/conformityAssessment/0')).toContain('JSONLD_NODE_UNTYPED');
    expect(
      report.errors.some(
        (e) => e.code === 'JSONLD_TERM_DROPPED' && e.path.startsWith('/credentialSubject/conformityAssessment/0/'),
      ),
    ).toBe(true);
  });

  it('VCDM rules: context order, VerifiableCredential type, typed status, relatedResource digest', async () => {
    const dcc = fixture(DCC);
    dcc['@context'].reverse();
    dcc.type = ['DigitalConformityCredential'];
    dcc.credentialStatus = { id: 'https://status.example/1#5', statusListIndex: 5 };
    dcc.relatedResource = [{ id: 'https://docs.example/report.pdf' }];
    const report = await validate(dcc);
    expect(codesAt(report.errors, '/@context/0')).toContain('VCDM_CONTEXT');
    expect(codesAt(report.errors, '/type')).toContain('VCDM_TYPE');
    expect(codesAt(report.errors, '/credentialStatus/type')).toContain('VCDM_TYPE_MISSING');
    expect(codesAt(report.errors, '/relatedResource/0')).toContain('VCDM_RELATED_RESOURCE');
  });

  it('a UNTP type with an unsupported UNTP version', async () => {
    const dcc = fixture(DCC);
    dcc['@context'][1] = 'https://vocabulary.uncefact.org/untp/0.9.0/context/';
    const report = await validate(dcc);
    expect(codesAt(report.errors, '/@context/1')).toContain('UNTP_VERSION_UNSUPPORTED');
    expect(report.untpVersion).toBe('0.9.0');
  });

  it('an extension type with no registered schema is checked against the core schema, with a warning', async () => {
    const contextUrl = 'https://contexts.invalid/someone-else/v1';
    const registry = ArtefactRegistry.bundled()
      .fork()
      .add(
        contextUrl,
        {
          '@context': {
            '@protected': true,
            SomeoneElsesCredential: 'https://contexts.invalid/someone-else#SomeoneElsesCredential',
          },
        },
        'context',
      );
    const dcc = fixture(DCC);
    dcc['@context'].push(contextUrl);
    dcc.type = ['SomeoneElsesCredential', ...dcc.type];
    const report = await validate(dcc, { registry });
    expect(report.valid).toBe(true);
    expect(report.credentialType).toBe('SomeoneElsesCredential');
    expect(report.untpType).toBe('DigitalConformityCredential');
    expect(report.warnings.map((w) => w.code)).toContain('EXTENSION_SCHEMA_UNKNOWN');
  });

  it('never throws on bad input', async () => {
    for (const input of [
      null,
      42,
      'not a jws',
      [],
      { type: 'EnvelopedVerifiableCredential', id: 'data:application/vc+jwt,x.y' },
      { '@context': 5 },
    ]) {
      const report = await validate(input);
      expect(report.valid).toBe(false);
      expect(report.errors.length).toBeGreaterThan(0);
    }
  });
});

describe('extension types', () => {
  const contextUrl = 'https://contexts.invalid/lot-extension/v1';
  const schemaUrl = 'https://contexts.invalid/lot-extension/schema.json';
  const registry = ArtefactRegistry.bundled()
    .fork()
    .add(
      contextUrl,
      {
        '@context': {
          '@protected': true,
          LotConformityCredential: 'https://contexts.invalid/lot#LotConformityCredential',
        },
      },
      'context',
    )
    .add(
      schemaUrl,
      {
        $schema: 'https://json-schema.org/draft/2020-12/schema',
        type: 'object',
        properties: { credentialSubject: { type: 'object', required: ['referenceProfile'] } },
        required: ['credentialSubject'],
      },
      'schema',
    );
  const extensions = [
    { type: 'LotConformityCredential', extends: 'DigitalConformityCredential', schemaUrl, contextUrl },
  ];
  const extended = () => {
    const dcc = fixture(DCC);
    dcc['@context'].push(contextUrl);
    dcc.type = ['LotConformityCredential', ...dcc.type];
    return dcc;
  };

  it('must pass both its own schema and the core schema', async () => {
    const ok = await validate(extended(), { registry, extensions });
    expect(ok.errors).toEqual([]);

    const noProfile = extended();
    delete noProfile.credentialSubject.referenceProfile;
    const own = await validate(noProfile, { registry, extensions });
    expect(own.errors).toContainEqual(
      expect.objectContaining({ code: 'SCHEMA_REQUIRED', path: '/credentialSubject/referenceProfile', schemaUrl }),
    );

    const noScheme = extended();
    delete noScheme.credentialSubject.referenceScheme;
    const core = await validate(noScheme, { registry, extensions });
    expect(core.errors).toContainEqual(
      expect.objectContaining({
        code: 'SCHEMA_REQUIRED',
        path: '/credentialSubject/referenceScheme',
        schemaUrl: DCC_SCHEMA,
      }),
    );
  });

  it('an extension of another core type is refused', async () => {
    const report = await validate(extended(), {
      registry,
      extensions: [{ ...extensions[0]!, extends: 'DigitalProductPassport' }],
    });
    expect(codesAt(report.errors, '/type')).toContain('EXTENSION_MISMATCH');
  });
});
