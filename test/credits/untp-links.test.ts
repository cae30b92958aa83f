// An independent check of what a generic UNTP consumer reads from our credentials: it uses only the
// bundled UNTP 0.7.0 DCC schema (with its own Ajv), node:crypto and a base58 encoder — none of the
// library's validators, readers or digest helpers — so a regression in those cannot hide here.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { base58btc } from 'multiformats/bases/base58';
import { describe, expect, it } from 'vitest';
import { cobaltRetirement, cobaltWithheldRetirement } from '../../examples/cases.js';
import { buildRetirementCredential } from '../../src/credits/build.js';
import { ISSUING_SOFTWARE, SOFTWARE_VERSION } from '../../src/credits/vocabulary.js';
import { ROOT } from '../helpers.js';

type Json = Record<string, any>;
const DCC_LINK = 'https://test.uncefact.org/vocabulary/linkTypes/dcc';
const ENVELOPE = 'data:application/vc+jwt,';
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = addFormats(new Ajv2020({ strict: false, allErrors: true }));
const dccSchema = ajv.compile(
  JSON.parse(readFileSync(join(ROOT, 'schemas/untp/0.7.0/dcc/ConformityCredential.json'), 'utf8')) as object,
);

function files(dir: string, suffix: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path, suffix) : path.endsWith(suffix) ? [path] : [];
  });
}

/** sha2-256 multihash, base58btc multibase: hashed here with node:crypto, not with the library. */
const digestOf = (jws: string) =>
  base58btc.encode(Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(jws, 'utf8').digest()]));

const payloadOf = (jws: string) => JSON.parse(Buffer.from(jws.split('.')[1]!, 'base64url').toString('utf8')) as Json;

/** Every issuance JWS among the signed examples, by credential id. */
function issuanceJwsById(): Map<string, string> {
  const out = new Map<string, string>();
  for (const file of files(join(ROOT, 'examples'), '.signed.json')) {
    const jws = String((JSON.parse(readFileSync(file, 'utf8')) as Json).id).slice(ENVELOPE.length);
    const payload = payloadOf(jws);
    if ((payload.type as string[]).includes('CreditIssuanceCredential')) out.set(String(payload.id), jws);
  }
  return out;
}

/** What a generic UNTP consumer expects; returns the problems found (none: the credential passes). */
function untpProblems(vc: Json, issuances: Map<string, string>): string[] {
  const problems: string[] = [];
  if (!dccSchema(vc)) problems.push(...(dccSchema.errors ?? []).map((e) => `dcc ${e.instancePath} ${e.message}`));
  const sw = vc.issuingSoftware as Json | undefined;
  if (sw === undefined) problems.push('no issuingSoftware');
  else {
    if (sw.version !== pkg.version) problems.push(`issuingSoftware.version ${sw.version} ≠ ${pkg.version}`);
    if (typeof sw.id !== 'string' || !sw.id.startsWith('https://') || !sw.id.endsWith(`/${pkg.version}`))
      problems.push(`issuingSoftware.id ${sw.id} is not a version-specific URL`);
  }
  const assessments = (vc.credentialSubject?.conformityAssessment ?? []) as Json[];
  for (const [i, a] of assessments.entries()) {
    for (const [j, link] of ((a.evidence ?? []) as Json[]).entries())
      if (typeof link.linkType !== 'string') problems.push(`assessment ${i} evidence ${j} has no linkType`);
    if (!a.assessedProduct?.length && !a.assessedFacility?.length && !a.assessedOrganisation?.id)
      problems.push(`assessment ${i} names no assessed subject`);
  }
  const retirement = vc.credentialSubject?.creditRetirement as Json | undefined;
  if (retirement !== undefined) {
    for (const unit of retirement.retiredUnits as Json[]) {
      const id = String(unit.issuanceCredential.id);
      const jws = issuances.get(id);
      for (const [i, a] of assessments.entries()) {
        const link = ((a.evidence ?? []) as Json[]).find((l) => l.linkURL === id);
        if (link === undefined) problems.push(`assessment ${i} does not link issuance ${id}`);
        else {
          if (link.linkType !== DCC_LINK) problems.push(`issuance link ${id} linkType ${link.linkType}`);
          if (link.mediaType !== 'application/vc+jwt') problems.push(`issuance link ${id} mediaType ${link.mediaType}`);
          if (typeof link.linkName !== 'string' || link.linkName === '') problems.push(`issuance link ${id} unnamed`);
          if (jws !== undefined && link.digestMultibase !== digestOf(jws))
            problems.push(`issuance link ${id} digest is not the digest of its JWS`);
        }
      }
    }
  }
  return problems;
}

const issuances = issuanceJwsById();
const credentials = files(join(ROOT, 'examples'), '.signed.json')
  .map((file) => ({
    file: relative(ROOT, file),
    vc: payloadOf(String((JSON.parse(readFileSync(file, 'utf8')) as Json).id).slice(ENVELOPE.length)),
  }))
  .filter(({ vc }) => (vc.type as string[]).includes('DigitalConformityCredential'));

describe('links a generic UNTP consumer follows, checked independently of the library', () => {
  it('the issuingSoftware version is the package version', () => {
    expect(SOFTWARE_VERSION).toBe(pkg.version);
    expect(ISSUING_SOFTWARE.id).toBe(`https://w3id.org/untp-credits/software/${pkg.version}`);
  });

  it('every signed DCC example passes the UNTP DCC schema, names issuingSoftware, types its evidence and links the issuances it retires', () => {
    const kinds = credentials.map(({ vc }) => (vc.type as string[])[0]).sort();
    expect(kinds).toEqual(expect.arrayContaining(['CreditIssuanceCredential', 'CreditRetirementCredential']));
    expect(kinds.filter((k) => k === 'CreditRetirementCredential').length).toBeGreaterThanOrEqual(3);
    expect(credentials.map(({ file, vc }) => [file, untpProblems(vc, issuances)])).toEqual(
      credentials.map(({ file }) => [file, []]),
    );
    // The copper retirement draws from two issuances: both are linked, once each, in every assessment.
    const copper = credentials.find(({ file }) => file.endsWith('copper/retirement.signed.json'))!.vc;
    for (const a of copper.credentialSubject.conformityAssessment as Json[])
      expect((a.evidence as Json[]).filter((l) => l.linkType === DCC_LINK)).toHaveLength(2);
  });

  it('a withheld-beneficiary organisation retirement still names an assessed subject', () => {
    const withheld = credentials.find(({ file }) => file.endsWith('retirement-withheld.signed.json'))!.vc;
    const [assessment] = withheld.credentialSubject.conformityAssessment as Json[];
    expect(assessment!.assessedOrganisation.id).toBe(`${withheld.credentialSubject.id}#withheld-beneficiary`);
    // …and never the beneficiary in clear.
    expect(JSON.stringify(withheld)).not.toContain('"beneficiary":');
  });

  it('negative twins: the same check fails a credential without issuingSoftware, with an incomplete one, an unlinked or wrongly pinned issuance, untyped evidence, or no assessed subject', () => {
    const retirement = credentials.find(({ file }) => file.endsWith('cobalt/retirement.signed.json'))!.vc;
    const copy = () => structuredClone(retirement);
    const noSoftware = copy();
    delete noSoftware.issuingSoftware;
    expect(untpProblems(noSoftware, issuances)).toEqual(['no issuingSoftware']);
    const noVendor = copy();
    delete noVendor.issuingSoftware.vendor;
    expect(untpProblems(noVendor, issuances).some((p) => p.startsWith('dcc /issuingSoftware'))).toBe(true);
    const unlinked = copy();
    unlinked.credentialSubject.conformityAssessment[0].evidence = [];
    expect(untpProblems(unlinked, issuances)).toEqual([expect.stringMatching(/^assessment 0 does not link issuance /)]);
    const wrongDigest = copy();
    wrongDigest.credentialSubject.conformityAssessment[0].evidence[0].digestMultibase = digestOf('other');
    expect(untpProblems(wrongDigest, issuances)).toEqual([expect.stringMatching(/digest is not the digest/)]);
    const untyped = copy();
    delete untyped.credentialSubject.conformityAssessment[0].evidence[0].linkType;
    expect(untpProblems(untyped, issuances)).toContain('assessment 0 evidence 0 has no linkType');
    const noSubject = copy();
    delete noSubject.credentialSubject.conformityAssessment[0].assessedProduct;
    expect(untpProblems(noSubject, issuances)).toEqual(['assessment 0 names no assessed subject']);
  });

  it('the builder links every cited issuance from an organisation-scoped withheld retirement that also lists products', () => {
    const cobaltJws = [...issuances.values()].find(
      (j) => payloadOf(j).credentialSubject.creditIssuance.serialBlock.prefix === 'RCC-CD-LU-1532-2026Q1',
    )!;
    expect(cobaltJws).toBeDefined();
    const input = cobaltWithheldRetirement(cobaltJws, {
      commitmentMethod: 'sd-jwt-disclosure-sha2-256',
      digestMultibase: digestOf('disclosure'),
      disclosureDate: '2027-03-31',
    });
    const products = cobaltRetirement(cobaltJws).claimBoundary.coveredProducts!;
    const vc = buildRetirementCredential({
      ...input,
      claimBoundary: { ...input.claimBoundary, coveredProducts: products },
    }) as Json;
    const [assessment] = vc.credentialSubject.conformityAssessment as Json[];
    expect(assessment!.assessedProduct.map((p: Json) => p.product.id)).toEqual(products.map((p) => p.id));
    expect(untpProblems(vc, issuances).filter((p) => !p.startsWith('dcc'))).toEqual([]);
    expect(assessment!.evidence).toEqual([
      {
        linkURL: payloadOf(cobaltJws).id,
        linkName: `Issuance credential ${payloadOf(cobaltJws).credentialSubject.creditIssuance.issuanceId}`,
        digestMultibase: digestOf(cobaltJws),
        mediaType: 'application/vc+jwt',
        linkType: DCC_LINK,
      },
    ]);
  });
});
