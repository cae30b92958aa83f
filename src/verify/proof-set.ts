import { UntpCreditsError, isUntpCreditsError } from '../errors.js';
import type { ErrorCode } from '../errors/catalogue.js';
import { CREDIT_ISSUANCE_TYPE, CREDIT_RETIREMENT_TYPE } from '../credits/vocabulary.js';
import { didOf } from '../keys/did.js';
import type { VerificationRelationship } from '../keys/types.js';
import { checkProof, verifyDataIntegritySignature, type CheckedProof } from '../secure/data-integrity/verify.js';
import { defaultJsonLd } from '../secure/lib/jsonld.js';
import { resolveKey, type ResolvedKey } from '../secure/lib/methods.js';
import type { VerifyOptions } from './options.js';
import type { VerificationStep } from './report.js';
import type { DidResolver } from '../keys/resolver.js';

/** One proof of a proof set or chain, as the report lists it. */
export interface ProofReport {
  /** The proof's `id`, when it has one (chains refer to proofs by id). */
  id?: string;
  cryptosuite?: string;
  verificationMethod?: string;
  /** The DID whose key made the proof. */
  controller?: string;
  /** The proofs this one signs over (VC Data Integrity 1.0 §2.1.3). */
  previousProof?: string[];
  ok: boolean;
  code?: ErrorCode;
  message?: string;
}

export interface ProofSetResult {
  ok: boolean;
  steps: VerificationStep[];
  proofs: ProofReport[];
  challenge?: unknown;
  domain?: unknown;
}

const CREDIT_TYPES: readonly string[] = [CREDIT_ISSUANCE_TYPE, CREDIT_RETIREMENT_TYPE];

function typesOf(document: Record<string, unknown>): string[] {
  const type = document.type;
  return typeof type === 'string' ? [type] : Array.isArray(type) ? type.filter((t) => typeof t === 'string') : [];
}

function fail(error: unknown): { code: ErrorCode; message: string } {
  return {
    code: isUntpCreditsError(error) ? error.code : 'INTERNAL_ERROR',
    message: (error as Error)?.message ?? String(error),
  };
}

/**
 * A proof set or chain (VC Data Integrity 1.0 §2.1.2–2.1.3, several proofs under `proof`): every proof
 * is checked (`proof` step: shape, purpose, expiry; `previousProof` ids resolve to proofs of the set, ids
 * are unique), every key resolved under the proof's own controller (`key` step) and every signature
 * verified (`signature` step; a chained proof signs the document carrying the proofs it names). The
 * document is bound to its issuer (holder) only when at least one valid proof is by a key of theirs
 * (PROOF_NOT_BY_ISSUER). A credit credential is the ledger's alone: a proof by anyone else refuses it.
 * Each proof's outcome is in `proofs`; one bad proof fails the document.
 */
export async function checkProofSet(
  document: Record<string, unknown>,
  proofs: Record<string, unknown>[],
  signer: string | null,
  relationship: VerificationRelationship,
  resolver: DidResolver,
  options: VerifyOptions,
): Promise<ProofSetResult> {
  const result: ProofSetResult = { ok: false, steps: [], proofs: [] };
  const now = (options.clock ?? (() => new Date()))();
  const checked: (CheckedProof | undefined)[] = [];
  const ids = new Map<string, number>();
  proofs.forEach((proof, i) => {
    const entry: ProofReport = { ok: false };
    if (typeof proof.id === 'string') entry.id = proof.id;
    if (typeof proof.cryptosuite === 'string') entry.cryptosuite = proof.cryptosuite;
    const previous = proof.previousProof;
    if (previous !== undefined)
      entry.previousProof = (Array.isArray(previous) ? previous : [previous]).map((p) => String(p));
    result.proofs.push(entry);
    try {
      const one = checkProof(proof, relationship, now);
      entry.verificationMethod = one.verificationMethod;
      checked[i] = one;
      if (entry.id !== undefined) {
        if (ids.has(entry.id))
          throw new UntpCreditsError('PROOF_CHAIN_BROKEN', `proof id ${entry.id} is used by more than one proof`);
        ids.set(entry.id, i);
      }
    } catch (error) {
      Object.assign(entry, fail(error));
    }
  });
  // previousProof must name proofs of this set (never itself)
  result.proofs.forEach((entry, i) => {
    if (entry.code) return;
    for (const id of entry.previousProof ?? []) {
      const at = ids.get(id);
      if (at === undefined || at === i) {
        Object.assign(entry, {
          code: 'PROOF_CHAIN_BROKEN',
          message: `previousProof ${id} names no other proof of the set`,
        });
        checked[i] = undefined;
        return;
      }
    }
  });
  if (!step(result, 'proof')) return result;

  const credit = typesOf(document).some((t) => CREDIT_TYPES.includes(t));
  const keys: ResolvedKey[] = [];
  for (const [i, one] of checked.entries()) {
    const entry = result.proofs[i] as ProofReport;
    const vm = (one as CheckedProof).verificationMethod;
    const controller = vm.startsWith('did:') ? didOf(vm) : null;
    if (controller !== null) entry.controller = controller;
    try {
      if (credit && controller !== signer)
        throw new UntpCreditsError(
          'PROOF_NOT_BY_ISSUER',
          `a credit credential is signed by its issuer alone; proof ${i} is by ${String(controller)}`,
        );
      keys[i] = await resolveKey(vm, controller, relationship, resolver);
    } catch (error) {
      Object.assign(entry, fail(error));
    }
  }
  if (!step(result, 'key')) return result;

  const jsonld = options.jsonld ?? options.validateOptions?.jsonld ?? defaultJsonLd();
  for (const [i, one] of checked.entries()) {
    const entry = result.proofs[i] as ProofReport;
    const key = keys[i] as ResolvedKey;
    const previous = (entry.previousProof ?? []).map((id) => proofs[ids.get(id) as number] as Record<string, unknown>);
    try {
      await verifyDataIntegritySignature(
        document,
        one as CheckedProof,
        key.publicJwk,
        key.algorithm,
        jsonld,
        previous.length > 0 ? previous : undefined,
      );
      entry.ok = true;
    } catch (error) {
      Object.assign(entry, fail(error));
    }
  }
  if (!step(result, 'signature')) return result;

  const own = result.proofs.filter((p) => p.controller !== undefined && p.controller === signer);
  if (own.length === 0) {
    result.steps.push({
      name: 'signature',
      ok: false,
      code: 'PROOF_NOT_BY_ISSUER',
      message: `none of the ${proofs.length} proofs is by a key of ${signer ?? 'the (unnamed) issuer or holder'}`,
    });
    return result;
  }
  const bound = checked.find((c, i) => result.proofs[i]?.controller === signer && c?.challenge !== undefined);
  if (bound?.challenge !== undefined) result.challenge = bound.challenge;
  if (bound?.domain !== undefined) result.domain = bound.domain;
  result.ok = true;
  return result;
}

/** Records a step over all proofs: it fails with the first failed proof's code. */
function step(result: ProofSetResult, name: 'proof' | 'key' | 'signature'): boolean {
  const failed = result.proofs.map((p, i) => [p, i] as const).filter(([p]) => p.code !== undefined);
  if (failed.length === 0) {
    result.steps.push({ name, ok: true, message: `${result.proofs.length} proofs` });
    return true;
  }
  const [first, i] = failed[0] as readonly [ProofReport, number];
  result.steps.push({
    name,
    ok: false,
    ...(first.code ? { code: first.code } : {}),
    message: `proof ${i} of ${result.proofs.length}: ${first.message ?? ''}`,
  });
  return false;
}
