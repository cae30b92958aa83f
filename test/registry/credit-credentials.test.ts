import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cobaltIssuance, cobaltRetirement } from '../../examples/cases.js';
import { jwsPayload } from '../../src/lib/digest.js';
import { didKeyOf } from '../../src/keys/did-key.js';
import { generateKeyPair } from '../../src/keys/generate.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { Database } from '../../src/registry/db.js';
import { openRegistry } from '../../src/registry/open.js';
import type { Registry } from '../../src/registry/registry.js';
import { createStatusResolver } from '../../src/status/resolver.js';
import { verify } from '../../src/verify/verify.js';

// The production path: the credit builders, issue() (validate, then sign with JOSE), verify() with
// the registry's status lists. The registry signs as a did:key so that verification stays offline.
const { privateJwk, publicJwk } = generateKeyPair('EdDSA');
const { did, keyId } = didKeyOf(publicJwk);
const issuer = { id: did, name: 'Mineral Credits Registry Services Ltd (fictional)' };

const {
  id: _i,
  issuer: _s,
  validFrom: _v,
  recordUrl: _r,
  credentialStatus: _c,
  issuanceId: _n,
  serialBlock: _b,
  initialHolder: _h,
  ...issuanceDetails
} = cobaltIssuance;
const retirementInput = cobaltRetirement('unused');
const {
  id: _ri,
  issuer: _rs,
  validFrom: _rv,
  recordUrl: _rr,
  credentialStatus: _rc,
  retirementId: _rn,
  retiredAt: _ra,
  retiredUnits: _ru,
  retiringAccount: retiringAccount,
  ...retirementDetails
} = retirementInput;

const payload = (enveloped: { id: string }) => jwsPayload(enveloped.id.slice('data:application/vc+jwt,'.length));
const stepOf = (report: Awaited<ReturnType<typeof verify>>, name: string) => report.steps.find((s) => s.name === name);

describe('registry credentials through the credit builders, issue() and verify() with the status resolver', () => {
  let db: Database;
  let registry: Registry;
  beforeAll(async () => {
    // openRegistry's defaults: the credit builders, JOSE through issue(); an in-memory PGlite here.
    registry = await openRegistry({
      database: {},
      baseUrl: 'https://registry.mineral-credits.example',
      issuer,
      signer: createLocalSigner(privateJwk, keyId),
    });
    db = registry.db;
    expect(db.engine).toBe('pglite');
    await registry.openAccount({
      key: 'cc-coop',
      accountId: 'ACC-CD-0001',
      holder: cobaltIssuance.initialHolder.holder,
    });
    await registry.openAccount({ key: 'cc-elbe', accountId: 'ACC-DE-0042', holder: retiringAccount.holder });
  });
  afterAll(async () => {
    await registry?.close();
  });

  it('issues and retires valid UNTP credentials; an amendment revokes the old retirement, which then fails verification with CREDENTIAL_REVOKED', async () => {
    const issued = await registry.issue({
      key: 'cc-i',
      issuanceId: 'RCC-2026-Q1-0001',
      prefix: 'RCC-CD-LU-1532-2026Q1',
      start: 1,
      end: 120,
      holder: 'ACC-CD-0001',
      details: issuanceDetails,
    });
    const status = registry.statusResolver();
    const issuedReport = await verify(issued.credential, { status });
    expect(issuedReport.steps.filter((s) => !s.ok)).toEqual([]);
    expect(issuedReport.verified).toBe(true);
    expect((payload(issued.credential).credentialSubject as any).creditIssuance.serialBlock).toEqual({
      prefix: 'RCC-CD-LU-1532-2026Q1',
      start: 1,
      end: 120,
      quantity: 120,
    });

    await registry.transfer({
      key: 'cc-t',
      from: 'ACC-CD-0001',
      to: 'ACC-DE-0042',
      ranges: [{ prefix: 'RCC-CD-LU-1532-2026Q1', start: 41, end: 65 }],
    });
    const retired = await registry.retire({
      key: 'cc-r',
      account: 'ACC-DE-0042',
      retirementId: 'RET-2026-0007',
      quantity: 25,
      details: retirementDetails as Record<string, unknown>,
    });
    const retiredReport = await verify(retired.credential, { status });
    expect(retiredReport.steps.filter((s) => !s.ok)).toEqual([]);
    const units = (payload(retired.credential).credentialSubject as any).creditRetirement.retiredUnits;
    expect(units[0].issuanceCredential).toEqual({ id: issued.credentialId, digestMultibase: issued.digestMultibase });

    const amended = await registry.amendRetirement({
      key: 'cc-a',
      retirementId: 'RET-2026-0007',
      newRetirementId: 'RET-2026-0007-A1',
      reason: 'beneficiary jurisdiction typo',
      details: {
        ...retirementDetails,
        beneficiary: { ...retirementDetails.beneficiary, jurisdiction: 'DE-SN' },
      } as Record<string, unknown>,
    });
    const old = await verify(retired.credential, { status });
    expect(old.verified).toBe(false);
    expect(stepOf(old, 'status')).toMatchObject({ ok: false, code: 'CREDENTIAL_REVOKED' });
    expect((await verify(amended.credential, { status })).verified).toBe(true);
    // Offline: the same answers from a snapshot of the published lists.
    const offline = createStatusResolver(await registry.statusSnapshot());
    expect(stepOf(await verify(retired.credential, { status: offline }), 'status')).toMatchObject({
      ok: false,
      code: 'CREDENTIAL_REVOKED',
    });
    expect((await verify(issued.credential, { status: offline })).verified).toBe(true);
    // Without a resolver the status step only warns.
    expect(stepOf(await verify(retired.credential), 'status')).toMatchObject({ ok: true, code: 'STATUS_UNAVAILABLE' });
    // The published status list is itself a valid, verifiable BitstringStatusListCredential.
    const list = amended.statusLists[0]!;
    expect(payload(list).type).toEqual(['VerifiableCredential', 'BitstringStatusListCredential']);
    expect((await verify(list)).verified).toBe(true);
    expect((await registry.checkInvariants()).violations).toEqual([]);
  });

  it('corrects an issuance: the reissued credential names the one it replaces, which is revoked', async () => {
    await registry.openAccount({
      key: 'cc-coop2',
      accountId: 'ACC-CD-0002',
      holder: cobaltIssuance.initialHolder.holder,
    });
    const first = await registry.issue({
      key: 'cc-i2',
      issuanceId: 'RCC-2026-Q1-0002',
      prefix: 'RCC-CD-LU-1532-2026Q1B',
      start: 1,
      end: 50,
      holder: 'ACC-CD-0002',
      details: issuanceDetails,
    });
    const fixed = await registry.correct({
      key: 'cc-fix',
      issuanceId: 'RCC-2026-Q1-0002',
      newIssuanceId: 'RCC-2026-Q1-0002-C1',
      reason: 'wrong vintage',
      details: { ...issuanceDetails, vintage: '2026-Q1' },
    });
    expect((payload(fixed.issuance.credential).credentialSubject as any).creditIssuance.replaces).toEqual({
      id: first.credentialId,
      digestMultibase: first.digestMultibase,
    });
    expect(stepOf(await verify(first.credential, { status: registry.statusResolver() }), 'status')).toMatchObject({
      code: 'CREDENTIAL_REVOKED',
    });
    expect((await verify(fixed.issuance.credential, { status: registry.statusResolver() })).verified).toBe(true);
  });
});
