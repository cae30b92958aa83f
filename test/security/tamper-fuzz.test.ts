import fc from 'fast-check';
import { isDeepStrictEqual } from 'node:util';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalNQuads } from '../../src/secure/lib/canonicalize.js';
import { defaultJsonLd } from '../../src/secure/lib/jsonld.js';
import { verify } from '../../src/verify/verify.js';
import { fixtures, KINDS_FUZZED_ELSEWHERE, type Json, type Sample } from './support/credentials.js';
import { addAt, flipUnusedBits, nodesOf, removeAt, setAt, tweak, type Path } from './support/mutate.js';

/**
 * Tamper fuzzing: valid credentials of every kind we emit (issuance, retirement — also with a
 * withheld beneficiary —, status list, premium allocation, presentation; JOSE and Data Integrity)
 * get semantic mutations — any JSON value at any depth changed, added or removed and re-encoded with the original signature; JOSE header fields changed;
 * signatures swapped between credentials; unused trailing bits of base64url segments flipped.
 * None may verify.
 *
 * `npm test` runs a seeded share (FUZZ_N, default 3000: ~20 s); `FUZZ_N=10000` runs the full count.
 * FUZZ_SEED picks another seed. A failure prints the seed and the shrunk mutation.
 */

const N = Math.max(1, Number(process.env.FUZZ_N ?? 3000));
const SEED = Number(process.env.FUZZ_SEED ?? 20261123);

const VC_PREFIX = 'data:application/vc+jwt,';
const VP_PREFIX = 'data:application/vp+jwt,';

const JOSE_OPS = [
  'payload-change',
  'payload-add',
  'payload-remove',
  'payload-reencode',
  'header',
  'signature-swap',
  'trailing-bits',
  'envelope',
] as const;
const DI_OPS = ['change', 'add', 'remove', 'proof', 'signature-swap'] as const;
type Op = (typeof JOSE_OPS)[number] | (typeof DI_OPS)[number];

interface Mutation {
  sample: number;
  op: number;
  pick: number;
  variant: number;
  value: unknown;
  key: string;
}

const INTERESTING_KEYS = [
  'id',
  'type',
  '@context',
  '@id',
  '@type',
  'issuer',
  'proof',
  'credentialStatus',
  'validUntil',
  'validFrom',
  'holder',
  'verifiableCredential',
  'credentialSubject',
  'serialBlock',
  'quantity',
  'start',
  'end',
  'statusListIndex',
  'encodedList',
  '__proto__',
  'constructor',
  'alg',
  'kid',
  'nonce',
  'aud',
];

const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  sample: fc.nat(),
  op: fc.nat(),
  pick: fc.nat(),
  variant: fc.nat(),
  value: fc.jsonValue({ maxDepth: 2 }),
  key: fc.oneof(fc.constantFrom(...INTERESTING_KEYS), fc.string({ maxLength: 8 })),
});

// JOSE header presets: algorithm confusion, foreign or relative kid, typ/cty, crit/b64, embedded keys.
const HEADER_PRESETS: Array<(h: Json, other: Json) => Json> = [
  (h) => ({ ...h, alg: 'none' }),
  (h) => ({ ...h, alg: 'HS256' }),
  (h) => ({ ...h, alg: h.alg === 'ES256' ? 'EdDSA' : 'ES256' }),
  (h) => ({ ...h, alg: 'ES384' }),
  (h) => ({ ...h, alg: 'RS256' }),
  (h) => ({ ...h, alg: 'Ed25519' }),
  (h, o) => ({ ...h, kid: o.kid }),
  (h) => ({ ...h, kid: `#${String(h.kid).split('#')[1]}` }),
  (h) => ({ ...h, kid: String(h.kid).replace(/^did:web:[^#]+/, 'did:web:attacker.example') }),
  (h) => ({ ...h, kid: '' }),
  (h) => {
    const { kid: _kid, ...rest } = h;
    return rest;
  },
  (h) => ({ ...h, typ: h.typ === 'vp+jwt' ? 'vc+jwt' : 'vp+jwt' }),
  (h) => ({ ...h, typ: 'JWT' }),
  (h) => ({ ...h, cty: 'json' }),
  (h) => ({ ...h, crit: ['exp'] }),
  (h) => ({ ...h, b64: false, crit: ['b64'] }),
  (h) => ({ ...h, jku: 'https://attacker.example/jwks.json' }),
  (h) => ({ ...h, x5u: 'https://attacker.example/cert.pem' }),
  (h) => ({ ...h, jwk: { kty: 'OKP', crv: 'Ed25519', x: '11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo' } }),
  (h) => ({ ...h, zip: 'DEF' }),
];

const b64 = (value: unknown, space?: number): string =>
  Buffer.from(JSON.stringify(value, null, space), 'utf8').toString('base64url');
const unb64 = (segment: string): Json => JSON.parse(Buffer.from(segment, 'base64url').toString('utf8')) as Json;

interface JoseParts {
  prefix: string;
  header: string;
  payload: string;
  signature: string;
}

function joseParts(signed: Json): JoseParts {
  const id = String(signed.id);
  const prefix = id.startsWith(VP_PREFIX) ? VP_PREFIX : VC_PREFIX;
  const [header, payload, signature] = id.slice(prefix.length).split('.') as [string, string, string];
  return { prefix, header, payload, signature };
}

const envelope = (signed: Json, p: JoseParts): Json => ({
  ...signed,
  id: `${p.prefix}${p.header}.${p.payload}.${p.signature}`,
});

interface Mutant {
  input: Json;
  /** The content a verifier must not report as verified unless it is exactly the signed content. */
  category: string;
  /** Envelope-only changes leave the signed bytes untouched: acceptable only if the reported credential is the original. */
  envelopeOnly?: boolean;
}

/** Applies one mutation; undefined when it happens to change nothing (another run picks again). */
function mutate(samples: readonly Sample[], m: Mutation): { sample: Sample; op: Op; mutant: Mutant } | undefined {
  const sample = samples[m.sample % samples.length] as Sample;
  const signed = sample.signed;
  if (sample.format === 'jose') {
    const op = JOSE_OPS[m.op % JOSE_OPS.length] as (typeof JOSE_OPS)[number];
    const p = joseParts(signed);
    const payload = unb64(p.payload);
    const changedPayload = (next: unknown): Mutant | undefined =>
      isDeepStrictEqual(next, payload)
        ? undefined
        : { input: envelope(signed, { ...p, payload: b64(next) }), category: op };
    switch (op) {
      case 'payload-change': {
        const nodes = nodesOf(payload).filter((n) => n.path.length > 0);
        const node = nodes[m.pick % nodes.length];
        if (!node) return undefined;
        const r = changedPayload(setAt(payload, node.path, tweak(node.value, m.variant, m.value)));
        return r && { sample, op, mutant: r };
      }
      case 'payload-add': {
        const containers = nodesOf(payload).filter((n) => n.value !== null && typeof n.value === 'object');
        const node = containers[m.pick % containers.length];
        if (!node) return undefined;
        const r = changedPayload(addAt(payload, node.path, m.key, m.value, m.variant));
        return r && { sample, op, mutant: r };
      }
      case 'payload-remove': {
        const nodes = nodesOf(payload).filter((n) => n.path.length > 0);
        const node = nodes[m.pick % nodes.length];
        if (!node) return undefined;
        const r = changedPayload(removeAt(payload, node.path));
        return r && { sample, op, mutant: r };
      }
      case 'payload-reencode': {
        // The same JSON in other bytes (indentation, key order): the signature is over bytes.
        const reordered =
          m.variant % 2 === 0
            ? b64(payload, 1 + (m.pick % 3))
            : b64(Object.fromEntries(Object.entries(payload).reverse()));
        if (reordered === p.payload) return undefined;
        return { sample, op, mutant: { input: envelope(signed, { ...p, payload: reordered }), category: op } };
      }
      case 'header': {
        const header = unb64(p.header);
        const others = samples.filter((s) => s.format === 'jose' && s !== sample);
        const other = unb64(joseParts((others[m.pick % others.length] ?? sample).signed).header);
        let next: Json;
        if (m.variant % 3 !== 0)
          next = (HEADER_PRESETS[m.pick % HEADER_PRESETS.length] as (h: Json, o: Json) => Json)(header, other);
        else {
          const nodes = nodesOf(header).filter((n) => n.path.length > 0);
          const node = nodes[m.pick % nodes.length];
          next =
            node && m.variant % 2 === 0
              ? (setAt(header, node.path, tweak(node.value, m.variant >> 1, m.value)) as Json)
              : (addAt(header, [], m.key, m.value, m.variant) as Json);
        }
        if (isDeepStrictEqual(next, header)) return undefined;
        return { sample, op, mutant: { input: envelope(signed, { ...p, header: b64(next) }), category: op } };
      }
      case 'signature-swap': {
        const others = samples.filter((s) => s.format === 'jose' && s !== sample);
        const other = joseParts((others[m.pick % others.length] as Sample).signed);
        // Another credential's signature, or its header and signature, on this payload.
        const swapped =
          m.variant % 2 === 0
            ? { ...p, signature: other.signature }
            : { ...p, header: other.header, signature: other.signature };
        return { sample, op, mutant: { input: envelope(signed, swapped), category: op } };
      }
      case 'trailing-bits': {
        const segments = (['header', 'payload', 'signature'] as const).filter((s) => p[s].length % 4 >= 2);
        const segment = segments[m.pick % segments.length];
        if (!segment) return undefined;
        const flipped = flipUnusedBits(p[segment], m.variant);
        if (flipped === p[segment]) return undefined;
        return { sample, op, mutant: { input: envelope(signed, { ...p, [segment]: flipped }), category: op } };
      }
      case 'envelope': {
        // The unsigned wrapper: type, @context, prefix, extra members. Never changes what is reported as signed.
        const variants: Json[] = [
          { ...signed, id: `${p.prefix === VC_PREFIX ? VP_PREFIX : VC_PREFIX}${p.header}.${p.payload}.${p.signature}` },
          { ...signed, type: 'VerifiableCredential' },
          { ...signed, type: ['EnvelopedVerifiableCredential', 'VerifiablePresentation'] },
          { ...signed, '@context': ['https://attacker.example/context'] },
          { ...signed, credentialSubject: { id: 'did:example:attacker', quantity: 1_000_000 } },
          { ...signed, issuer: 'did:web:attacker.example' },
          { ...signed, id: `${p.prefix}${p.header}.${p.payload}.${p.signature}.extra` },
          { ...signed, id: `${p.prefix} ${p.header}.${p.payload}.${p.signature}` },
        ];
        const input = variants[m.pick % variants.length] as Json;
        return { sample, op, mutant: { input, category: op, envelopeOnly: true } };
      }
    }
  }
  const op = DI_OPS[m.op % DI_OPS.length] as (typeof DI_OPS)[number];
  const changed = (next: unknown): { sample: Sample; op: Op; mutant: Mutant } | undefined =>
    isDeepStrictEqual(next, signed) ? undefined : { sample, op, mutant: { input: next as Json, category: op } };
  switch (op) {
    case 'change': {
      const nodes = nodesOf(signed).filter((n) => n.path.length > 0);
      const node = nodes[m.pick % nodes.length];
      return node && changed(setAt(signed, node.path, tweak(node.value, m.variant, m.value)));
    }
    case 'add': {
      const containers = nodesOf(signed).filter((n) => n.value !== null && typeof n.value === 'object');
      const node = containers[m.pick % containers.length];
      return node && changed(addAt(signed, node.path, m.key, m.value, m.variant));
    }
    case 'remove': {
      const nodes = nodesOf(signed).filter((n) => n.path.length > 0);
      const node = nodes[m.pick % nodes.length];
      return node && changed(removeAt(signed, node.path));
    }
    case 'proof': {
      const nodes = nodesOf(signed.proof).filter((n) => n.path.length > 0);
      const node = nodes[m.pick % nodes.length];
      if (!node) return undefined;
      const path: Path = ['proof', ...node.path];
      return changed(
        m.variant % 3 === 2 ? removeAt(signed, path) : setAt(signed, path, tweak(node.value, m.variant, m.value)),
      );
    }
    case 'signature-swap': {
      const others = samples.filter((s) => s.format !== 'jose' && s !== sample);
      const other = (others[m.pick % others.length] as Sample).signed;
      const proof = other.proof as Json;
      return changed(
        m.variant % 2 === 0
          ? { ...signed, proof }
          : { ...signed, proof: { ...(signed.proof as Json), proofValue: proof.proofValue } },
      );
    }
  }
}

/** The first differing place between two JSON values (for the log). */
function diffOf(a: unknown, b: unknown, path = ''): { path: string; before: unknown; after: unknown } | undefined {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (
    a !== null &&
    b !== null &&
    typeof a === 'object' &&
    typeof b === 'object' &&
    Array.isArray(a) === Array.isArray(b)
  ) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const k of keys) {
      const d = diffOf((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`);
      if (d) return d;
    }
  }
  return { path: path || '/', before: a, after: b };
}

/** RDFC-1.0 N-Quads without the proof value: equal means the mutant states exactly what was signed. */
async function signedMeaning(document: Json): Promise<string | undefined> {
  try {
    const copy = structuredClone(document);
    const proofs = ([] as Json[]).concat(copy.proof ?? []);
    for (const proof of proofs) delete proof.proofValue;
    return await canonicalNQuads(copy, defaultJsonLd());
  } catch {
    return undefined;
  }
}

describe('tamper fuzzing: no mutated credential verifies', () => {
  let samples: Sample[];
  const originalMeaning = new Map<Sample, string | undefined>();
  const originalReported = new Map<Sample, unknown>();

  beforeAll(async () => {
    samples = (await fixtures()).samples;
    for (const sample of samples)
      if (sample.format !== 'jose') originalMeaning.set(sample, await signedMeaning(sample.signed));
  }, 120_000);

  it('every untouched sample verifies (so a rejection means the mutation was caught)', async () => {
    expect(samples.map((s) => s.kind).sort()).toEqual(
      expect.arrayContaining(['issuance', 'retirement', 'status-list', 'presentation', 'premium-allocation']),
    );
    for (const sample of samples) {
      const report = await verify(sample.signed, sample.options);
      expect(
        report.steps.filter((s) => !s.ok),
        sample.name,
      ).toEqual([]);
      expect(report.verified, sample.name).toBe(true);
      originalReported.set(sample, report.credential);
    }
  });

  it(
    `${N} seeded mutations (seed ${SEED}): accepted = 0`,
    async () => {
      const perOp = new Map<string, number>();
      const perSample = new Map<string, number>();
      const codes = new Map<string, number>();
      let tried = 0;
      let accepted = 0;
      let skipped = 0;
      let equivalent = 0;
      let envelopeIgnored = 0;
      const acceptedExamples: string[] = [];
      const equivalentExamples: string[] = [];
      const started = Date.now();
      await fc
        .assert(
          fc.asyncProperty(mutationArb, async (m) => {
            const applied = mutate(samples, m);
            // A pick that changes nothing is redrawn (a precondition), so every one of the N runs is a mutation.
            if (!applied) {
              skipped++;
              fc.pre(false);
              return true;
            }
            const { sample, op, mutant } = applied;
            const report = await verify(mutant.input, sample.options);
            tried++;
            perOp.set(
              `${sample.format === 'jose' ? 'jose' : 'di'}:${op}`,
              (perOp.get(`${sample.format === 'jose' ? 'jose' : 'di'}:${op}`) ?? 0) + 1,
            );
            perSample.set(sample.name, (perSample.get(sample.name) ?? 0) + 1);
            const failed =
              report.steps.find((s) => !s.ok) ?? (report.credentials ?? []).flatMap((c) => c.steps).find((s) => !s.ok);
            codes.set(failed?.code ?? 'none', (codes.get(failed?.code ?? 'none') ?? 0) + 1);
            if (!report.verified) return true;
            if (mutant.envelopeOnly) {
              // The signed bytes are untouched; what verify reports must be exactly what it reports for the original.
              if (originalReported.has(sample) && isDeepStrictEqual(report.credential, originalReported.get(sample))) {
                envelopeIgnored++;
                return true;
              }
            } else if (sample.format !== 'jose') {
              // Data Integrity signs the RDF, not the JSON: a mutant with the same canonical N-Quads says
              // exactly what was signed (e.g. an added null) — not a forgery; count it apart.
              const meaning = await signedMeaning(mutant.input);
              if (meaning !== undefined && meaning === originalMeaning.get(sample)) {
                equivalent++;
                if (equivalentExamples.length < 3 || process.env.FUZZ_DEBUG)
                  equivalentExamples.push(
                    `${sample.name} ${op}: ${JSON.stringify(diffOf(sample.signed, mutant.input)).slice(0, 300)}`,
                  );
                return true;
              }
            }
            accepted++;
            acceptedExamples.push(`${sample.name} ${op}: ${JSON.stringify(mutant.input).slice(0, 400)}`);
            return false;
          }),
          { numRuns: N, seed: SEED, endOnFailure: true, verbose: 1 },
        )
        .catch((error: unknown) => {
          throw new Error(
            `tamper fuzz failed — rerun with FUZZ_SEED=${SEED} FUZZ_N=${N}\n${(error as Error).message}\naccepted: ${acceptedExamples.join('\n')}`,
          );
        });
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      console.log(
        `tamper fuzz: mutations tried ${tried} / accepted ${accepted} (seed ${SEED}, ${N} runs, ${skipped} no-op picks redrawn, ${equivalent} RDF-identical DI mutants, ${envelopeIgnored} unsigned-envelope edits reported the signed payload, ${seconds} s)`,
      );
      console.log(
        `tamper fuzz by operation: ${[...perOp]
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
      console.log(
        `tamper fuzz by sample: ${[...perSample]
          .sort()
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
      console.log(
        `tamper fuzz rejection codes: ${[...codes]
          .sort((a, b) => b[1] - a[1])
          .map(([k, v]) => `${k}=${v}`)
          .join(' ')}`,
      );
      if (equivalentExamples.length > 0)
        console.log(`tamper fuzz RDF-identical examples: ${equivalentExamples.join('\n  ')}`);
      console.log(
        `tamper fuzz: other emitted kinds are fuzzed in their own files: ${KINDS_FUZZED_ELSEWHERE.join(', ')}`,
      );
      expect(accepted).toBe(0);
      expect(tried).toBe(N);
      if (N >= 1000) {
        for (const sample of samples) expect(perSample.get(sample.name) ?? 0, sample.name).toBeGreaterThan(20);
        for (const op of JOSE_OPS) expect(perOp.get(`jose:${op}`) ?? 0, op).toBeGreaterThan(5);
        for (const op of DI_OPS) expect(perOp.get(`di:${op}`) ?? 0, op).toBeGreaterThan(5);
      }
    },
    Math.max(180_000, N * 60),
  );
});
