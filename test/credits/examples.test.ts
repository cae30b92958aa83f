import jsonld from 'jsonld';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildExamples, EXAMPLES_DIR, exampleText } from '../../examples/build.js';
import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import { SchemaValidator } from '../../src/artefacts/schemas.js';
import { checkDigest, jwsOf, jwsPayload } from '../../src/lib/digest.js';
import { matchClaimToAssessment } from '../../src/credits/dpp.js';
import {
  CREDIT_ISSUANCE_SCHEMA_URL,
  CREDIT_RETIREMENT_SCHEMA_URL,
  CREDIT_SCHEME_URL,
  CRITERION_PRODUCTION_ASSESSED,
  CRITERION_RETIRED_FOR_ORGANISATION,
  CRITERION_RETIRED_FOR_PRODUCT,
  DCC_LINK_TYPE,
  UNTP_CVC_SCHEMA_0_7_0,
  UNTP_DCC_SCHEMA_0_7_0,
  UNTP_DPP_SCHEMA_0_7_0,
} from '../../src/credits/vocabulary.js';
import { validate } from '../../src/validate/validate.js';
import { verify } from '../../src/verify/verify.js';
import { issue } from '../../src/issue.js';
import { keyMethodIds } from '../../src/keys/did-document.js';
import { publicJwkOf } from '../../src/keys/jwk.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { PrivateJwk } from '../../src/keys/types.js';

type Json = Record<string, any>;
let built: Map<string, Json>;

beforeAll(async () => {
  built = await buildExamples();
  if (process.env.UPDATE_EXAMPLES) {
    for (const [path, document] of built) {
      mkdirSync(dirname(`${EXAMPLES_DIR}${path}`), { recursive: true });
      writeFileSync(`${EXAMPLES_DIR}${path}`, exampleText(document));
    }
  }
});

const file = (path: string): Json => JSON.parse(readFileSync(`${EXAMPLES_DIR}${path}`, 'utf8')) as Json;
const credentials = () => [...built.keys()].filter((p) => p.startsWith('cobalt/') || p.startsWith('copper/'));

describe('examples', () => {
  it('are exactly what the builders produce (no drift)', () => {
    expect(built.size).toBeGreaterThanOrEqual(18);
    for (const [path, document] of built) {
      expect(existsSync(`${EXAMPLES_DIR}${path}`), path).toBe(true);
      expect(readFileSync(`${EXAMPLES_DIR}${path}`, 'utf8'), path).toBe(exampleText(document));
    }
  });

  it('unsigned ones are the exact payloads of the signed ones', () => {
    for (const path of credentials().filter((p) => p.endsWith('.signed.json'))) {
      const unsigned = file(path.replace('.signed.json', '.json'));
      expect(jwsPayload(jwsOf(readFileSync(`${EXAMPLES_DIR}${path}`, 'utf8'))), path).toEqual(unsigned);
    }
  });

  it('all validate with no errors and no JSON-LD findings (unsigned and signed)', async () => {
    for (const path of credentials()) {
      const report = await validate(file(path));
      expect(report.errors, path).toEqual([]);
      expect(report.valid, path).toBe(true);
      const codes = report.warnings.map((w) => w.code);
      expect(
        codes.filter((c) => c.startsWith('JSONLD')),
        path,
      ).toEqual([]);
      if (path.endsWith('.signed.json')) expect(codes, path).toEqual(['SIGNATURE_NOT_CHECKED']);
      else expect(codes, path).toEqual([]);
    }
  });

  it('credit credentials validate against both our schema and the core DCC schema; passports against the DPP schema', () => {
    const schemas = SchemaValidator.bundled();
    for (const path of credentials().filter((p) => !p.endsWith('.signed.json'))) {
      const doc = file(path);
      const types: string[] = doc.type;
      if (types.includes('CreditIssuanceCredential'))
        expect(schemas.validate(CREDIT_ISSUANCE_SCHEMA_URL, doc), path).toEqual([]);
      else if (types.includes('CreditRetirementCredential'))
        expect(schemas.validate(CREDIT_RETIREMENT_SCHEMA_URL, doc), path).toEqual([]);
      if (types.includes('DigitalConformityCredential'))
        expect(schemas.validate(UNTP_DCC_SCHEMA_0_7_0, doc), path).toEqual([]);
      else expect(schemas.validate(UNTP_DPP_SCHEMA_0_7_0, doc), path).toEqual([]);
    }
  });

  it('expand in jsonld.js safe mode (throws on any dropped term, relative IRI or protected redefinition), every term explicitly defined', async () => {
    const registry = ArtefactRegistry.bundled();
    for (const path of ['cobalt/issuance.json', 'cobalt/retirement.json', 'copper/retirement.json']) {
      const expanded = await jsonld.expand(file(path), {
        documentLoader: registry.documentLoader as never,
        safe: true,
      } as never);
      const properties = new Set<string>();
      const walk = (value: unknown): void => {
        if (Array.isArray(value)) value.forEach(walk);
        else if (value !== null && typeof value === 'object')
          for (const [key, inner] of Object.entries(value)) {
            properties.add(key);
            walk(inner);
          }
      };
      walk(expanded);
      // Our terms expand to our vocabulary; no property is caught by a UNTP class @vocab (…/untp/Class#term).
      expect(properties.has('https://w3id.org/untp-credits/vocab#serialStart'), path).toBe(true);
      expect(
        [...properties].filter((p) => /^https:\/\/vocabulary\.uncefact\.org\/untp\/[A-Za-z]+#/.test(p)),
        path,
      ).toEqual([]);
    }
  });

  it('the scheme document is the bundled one, validates as a UNTP ConformityScheme and lists the criteria the builders use', () => {
    const scheme = file('scheme/responsible-mineral-credits-scheme-v1.json');
    expect(scheme).toEqual(ArtefactRegistry.bundled().get(CREDIT_SCHEME_URL));
    expect(SchemaValidator.bundled().validate(UNTP_CVC_SCHEMA_0_7_0, scheme)).toEqual([]);
    const ids = scheme.includedProfile.flatMap((p: Json) => p.criterion.map((c: Json) => c.id));
    expect(ids).toEqual([
      CRITERION_PRODUCTION_ASSESSED.id,
      CRITERION_RETIRED_FOR_PRODUCT.id,
      CRITERION_RETIRED_FOR_ORGANISATION.id,
    ]);
    // Criterion ids resolve (fragment dropped) to the scheme document itself.
    expect(ArtefactRegistry.bundled().get(CRITERION_RETIRED_FOR_PRODUCT.id)).toEqual(scheme);
  });
});

describe('signed examples', () => {
  it('(VC-JOSE-COSE) verify offline against the example DID documents; status is not checkable offline', async () => {
    const didDocuments = ['registry.mineral-credits.example', 'elbe-cells.example', 'lindqvist-kabel.example'].map(
      (host) => file(`keys/${host}.did.json`),
    );
    for (const path of credentials().filter((p) => p.endsWith('.signed.json'))) {
      const report = await verify(file(path), { didDocuments, clock: () => new Date('2026-10-01T00:00:00Z') });
      expect(
        report.steps.filter((s) => !s.ok),
        path,
      ).toEqual([]);
      expect(report.verified, path).toBe(true);
      expect(report.format, path).toBe('jose');
    }
  });

  it('also canonicalize for a Data Integrity proof (eddsa-rdfc-2022): every term maps to RDF', async () => {
    const privateJwk = file('keys/registry.mineral-credits.example.private.jwk.json') as PrivateJwk;
    const ids = await keyMethodIds('did:web:registry.mineral-credits.example', publicJwkOf(privateJwk));
    const signer = createLocalSigner(privateJwk, ids.dataIntegrity);
    const didDocuments = [file('keys/registry.mineral-credits.example.did.json')];
    for (const path of ['cobalt/issuance.json', 'copper/retirement.json']) {
      const signed = await issue(file(path), { format: 'eddsa-rdfc-2022', signer });
      const report = await verify(signed, { didDocuments, clock: () => new Date('2026-10-01T00:00:00Z') });
      expect(
        report.steps.filter((s) => !s.ok),
        path,
      ).toEqual([]);
      // A changed serial breaks the proof: the extension's terms are in the signed RDF.
      const tampered = structuredClone(signed) as Json;
      const ext =
        tampered.credentialSubject.creditIssuance ?? tampered.credentialSubject.creditRetirement.retiredUnits[0];
      ext.serialBlock.end += 1;
      const broken = await verify(tampered, { didDocuments, clock: () => new Date('2026-10-01T00:00:00Z') });
      expect(broken.verified, path).toBe(false);
      expect(broken.steps.find((s) => !s.ok)?.name, path).toBe('signature');
    }
  });
});

describe('the chain issuance → retirement → passport', () => {
  it('each retired block cites its issuance by id and the digest of its signed JWS', () => {
    const cases: Array<[string, string[]]> = [
      ['cobalt/retirement.json', ['cobalt/issuance.signed.json']],
      ['copper/retirement.json', ['copper/issuance-2026q1.signed.json', 'copper/issuance-2026q2.signed.json']],
    ];
    for (const [retirementPath, issuancePaths] of cases) {
      const units: Json[] = file(retirementPath).credentialSubject.creditRetirement.retiredUnits;
      expect(units).toHaveLength(issuancePaths.length);
      units.forEach((unit, i) => {
        const jws = jwsOf(readFileSync(`${EXAMPLES_DIR}${issuancePaths[i]}`, 'utf8'));
        expect(unit.issuanceCredential.id).toBe(jwsPayload(jws).id);
        expect(checkDigest(jws, unit.issuanceCredential.digestMultibase)).toBe(true);
      });
    }
    expect(file('cobalt/retirement.json').credentialSubject.creditRetirement.retiredUnits[0].serialBlock).toEqual({
      prefix: 'RCC-CD-LU-1532-2026Q1',
      start: 1,
      end: 25,
      quantity: 25,
    });
    expect(file('cobalt/issuance.json').credentialSubject.creditIssuance.serialBlock.quantity).toBe(120);
  });

  it('the passport claim is matched to the retirement assessment by criterion id, product id and conformance (plain UNTP matching)', () => {
    for (const [dppPath, retirementPath, retirementSigned] of [
      ['cobalt/battery-dpp.json', 'cobalt/retirement.json', 'cobalt/retirement.signed.json'],
      ['copper/cable-dpp.json', 'copper/retirement.json', 'copper/retirement.signed.json'],
    ] as const) {
      const dpp = file(dppPath);
      const retirement = file(retirementPath);
      const claims: Json[] = dpp.credentialSubject.performanceClaim;
      expect(claims).toHaveLength(1);
      const claim = claims[0] as Json;
      expect(claim.referenceCriteria.map((c: Json) => c.id)).toEqual([CRITERION_RETIRED_FOR_PRODUCT.id]);
      const match = matchClaimToAssessment(dpp, claim, retirement);
      expect(match).toMatchObject({
        matched: true,
        criterionId: CRITERION_RETIRED_FOR_PRODUCT.id,
        productId: dpp.credentialSubject.id,
      });
      const assessment = retirement.credentialSubject.conformityAssessment.find(
        (a: Json) => a.id === match.assessmentId,
      );
      expect(assessment.conformance).toBe(true);
      expect(assessment.assessedProduct[0].product.id).toBe(dpp.credentialSubject.id);
      // The evidence link is a DCC link to the retirement, pinned by the digest of its JWS.
      const evidence = claim.evidence[0] as Json;
      expect(evidence.linkType).toBe(DCC_LINK_TYPE);
      expect(evidence.linkURL).toBe(retirement.id);
      expect(
        checkDigest(jwsOf(readFileSync(`${EXAMPLES_DIR}${retirementSigned}`, 'utf8')), evidence.digestMultibase),
      ).toBe(true);

      // Each of the three conditions is needed.
      const notConformant = structuredClone(retirement);
      for (const a of notConformant.credentialSubject.conformityAssessment) a.conformance = false;
      expect(matchClaimToAssessment(dpp, claim, notConformant).matched).toBe(false);
      const otherProduct = structuredClone(dpp);
      otherProduct.credentialSubject.id = 'https://id.elbe-cells.example/01/00000000000000';
      expect(matchClaimToAssessment(otherProduct, claim, retirement).matched).toBe(false);
      const otherCriterion = structuredClone(claim);
      otherCriterion.referenceCriteria[0].id = CRITERION_RETIRED_FOR_ORGANISATION.id;
      expect(matchClaimToAssessment(dpp, otherCriterion, retirement).matched).toBe(false);
    }
  });
});
