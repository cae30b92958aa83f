// In-process ratios against floors and references, each measured side by side (bench/lib/measure.js):
//   verifyVsJose          full verify() of the enveloped cobalt credit credential (signature, VCDM +
//                         W3C/UNTP/extension schemas, JSON-LD safe check, validity, status from a local
//                         list) over raw jose compactVerify of the same JWS (key imported once). Target ≤ 2.
//   jsonldSpeedup         jsonld.js expand (safe mode, in-memory loader) over our check() on the UNTP
//                         0.7.0 DCC sample. Target ≥ 100.
//   dataIntegritySpeedup  @digitalbazaar/vc verifyCredential (eddsa-rdfc-2022) over our full verify() of
//                         the same credential and proof. Target ≥ 50.
import { DataIntegrityProof } from '@digitalbazaar/data-integrity';
import { cryptosuite as eddsaRdfc2022 } from '@digitalbazaar/eddsa-rdfc-2022-cryptosuite';
import * as vc from '@digitalbazaar/vc';
import { compactVerify, importJWK } from 'jose';
import jsonld from 'jsonld';
import { createLocalSigner, issue } from '../dist/entry/credits.js';
import { ArtefactRegistry, verify } from '../dist/index.js';
import { FastJsonLdProcessor } from '../dist/jsonld/fast.js';
import {
  assertFullyVerified,
  enveloped,
  jws,
  readJson,
  registryDidDocument,
  registryPrivateJwk,
  unsigned,
  verifyOptions,
} from './lib/fixtures.js';
import { compare, fmt } from './lib/measure.js';

// Digital Bazaar resolves the verification method through its document loader: the DID document
// and its method from memory, contexts from the offline registry (as test/secure/interop does).
function documentLoader() {
  const registry = ArtefactRegistry.bundled();
  return async (url) => {
    if (url.startsWith('did:')) {
      const [did] = url.split('#');
      if (did !== registryDidDocument.id) throw new Error(`unknown DID ${url}`);
      if (!url.includes('#')) return { contextUrl: null, documentUrl: url, document: registryDidDocument };
      const method = registryDidDocument.verificationMethod.find((m) => m.id === url || `${did}${m.id}` === url);
      if (!method) throw new Error(`unknown method ${url}`);
      return {
        contextUrl: null,
        documentUrl: url,
        document: { '@context': 'https://w3id.org/security/multikey/v1', ...method, id: url },
      };
    }
    return registry.documentLoader(url);
  };
}

export async function run({ quick = false } = {}) {
  const options = verifyOptions();
  const rounds = quick ? 5 : 9;

  // verifyVsJose
  assertFullyVerified(await verify(enveloped, options), 'verify(enveloped)');
  const kid = JSON.parse(Buffer.from(jws.split('.')[0], 'base64url').toString('utf8')).kid;
  const method = registryDidDocument.verificationMethod.find(
    (m) => m.id === kid || `${registryDidDocument.id}${m.id}` === kid,
  );
  const key = await importJWK(method.publicKeyJwk, 'EdDSA');
  await compactVerify(jws, key);
  const n = quick ? 400 : 1000;
  const verifyVsJose = await compare(
    { fn: () => compactVerify(jws, key), iterations: n },
    { fn: () => verify(enveloped, options), iterations: n },
    { rounds: quick ? 11 : 21, warmup: quick ? 1000 : 3000 }, // until TurboFan is done: its background compiles count as CPU time
  );

  // jsonldSpeedup
  const dcc = readJson('test/fixtures/untp/0.7.0/dcc/ConformityCredential_instance.json');
  const registry = ArtefactRegistry.bundled();
  const fast = new FastJsonLdProcessor(registry);
  const first = await fast.check(dcc);
  if (first.engine !== 'fast' || first.errors.length > 0)
    throw new Error('jsonld: the fast path did not handle the DCC sample cleanly');
  const expandOptions = { documentLoader: registry.documentLoader, safe: true, base: null };
  const jsonldSpeedup = await compare(
    { fn: () => fast.check(dcc), iterations: quick ? 200 : 1000 },
    { fn: () => jsonld.expand(dcc, expandOptions), iterations: quick ? 2 : 5 },
    { rounds, warmup: 2 },
  );

  // dataIntegritySpeedup: the cobalt issuance signed as eddsa-rdfc-2022 with the registry's example key
  const signer = createLocalSigner(registryPrivateJwk, registryDidDocument.assertionMethod[0]);
  const secured = await issue(unsigned, { format: 'eddsa-rdfc-2022', signer });
  assertFullyVerified(await verify(secured, options), 'verify(Data Integrity)');
  const suite = new DataIntegrityProof({ cryptosuite: eddsaRdfc2022 });
  const loader = documentLoader();
  // Their status check is a stub (ours reads the local list): ours does strictly more work.
  const theirs = () =>
    vc.verifyCredential({
      credential: secured,
      suite,
      documentLoader: loader,
      checkStatus: async () => ({ verified: true }),
      now: new Date(options.clock()),
    });
  const verdict = await theirs();
  if (!verdict.verified)
    throw new Error(
      `@digitalbazaar/vc did not verify the credential: ${verdict.error?.message ?? JSON.stringify(verdict.error)}`,
    );
  const dataIntegritySpeedup = await compare(
    { fn: () => verify(secured, options), iterations: quick ? 50 : 200 },
    { fn: theirs, iterations: quick ? 2 : 5 },
    { rounds, warmup: 2 },
  );

  const result = {
    verifyVsJose: { ratio: verifyVsJose.ratio, verifyMs: verifyVsJose.bMs, joseMs: verifyVsJose.aMs, target: '≤ 2' },
    jsonldSpeedup: {
      ratio: jsonldSpeedup.ratio,
      jsonldJsMs: jsonldSpeedup.bMs,
      oursMs: jsonldSpeedup.aMs,
      target: '≥ 100',
    },
    dataIntegritySpeedup: {
      ratio: dataIntegritySpeedup.ratio,
      digitalbazaarMs: dataIntegritySpeedup.bMs,
      oursMs: dataIntegritySpeedup.aMs,
      target: '≥ 50',
    },
  };
  console.log('\nFloors and references (in process, one thread; medians of per-round ratios)');
  console.log(
    `  verifyVsJose          ${fmt(result.verifyVsJose.ratio)}×  full verify ${fmt(verifyVsJose.bMs, 3)} ms vs jose compactVerify ${fmt(verifyVsJose.aMs, 3)} ms   (target ≤ 2)`,
  );
  console.log(
    `  jsonldSpeedup         ${fmt(result.jsonldSpeedup.ratio, 0)}×  jsonld.js expand ${fmt(jsonldSpeedup.bMs, 1)} ms vs our check ${fmt(jsonldSpeedup.aMs, 3)} ms   (target ≥ 100)`,
  );
  console.log(
    `  dataIntegritySpeedup  ${fmt(result.dataIntegritySpeedup.ratio, 0)}×  @digitalbazaar/vc ${fmt(dataIntegritySpeedup.bMs, 1)} ms vs our full verify ${fmt(dataIntegritySpeedup.aMs, 3)} ms   (target ≥ 50)`,
  );
  return result;
}
