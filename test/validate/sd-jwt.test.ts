import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { REGISTRY_DID } from '../../examples/cases.js';
import { keyMethodIds } from '../../src/keys/did-document.js';
import { publicJwkOf } from '../../src/keys/jwk.js';
import { createLocalSigner } from '../../src/keys/signer.js';
import type { PrivateJwk } from '../../src/keys/types.js';
import { presentSdJwt } from '../../src/secure/sd-jwt/sign.js';
import { issueSdJwt } from '../../src/issue.js';
import { validate } from '../../src/index.js';

const retirement = JSON.parse(readFileSync(new URL('../../examples/cobalt/retirement.json', import.meta.url), 'utf8'));
const BENEFICIARY = '/credentialSubject/creditRetirement/beneficiary';

describe('validate() on an SD-JWT credential', () => {
  it('validates the disclosed claims; a withheld required member is a warning, not an error', async () => {
    const privateJwk = JSON.parse(
      readFileSync(
        new URL('../../examples/keys/registry.mineral-credits.example.private.jwk.json', import.meta.url),
        'utf8',
      ),
    ) as PrivateJwk;
    const signer = createLocalSigner(privateJwk, (await keyMethodIds(REGISTRY_DID, publicJwkOf(privateJwk))).jose);
    const issued = await issueSdJwt(retirement, { signer, disclosable: [BENEFICIARY] });

    const all = await validate(issued);
    expect(all.errors).toEqual([]);
    expect(all.credentialType).toBe('CreditRetirementCredential');
    expect(all.warnings.map((w) => w.code)).toContain('SIGNATURE_NOT_CHECKED');

    const none = await validate(await presentSdJwt(issued, { disclose: [] }));
    expect(none.errors).toEqual([]);
    expect(none.warnings.map((w) => w.code)).toContain('CLAIMS_MAY_BE_WITHHELD');

    const broken = await validate({ ...issued, id: `${issued.id.slice(0, -3)}!!~` });
    expect(broken.valid).toBe(false);
  });
});
