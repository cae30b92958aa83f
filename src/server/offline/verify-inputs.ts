import { bundleVerdict } from '../../bundle/text.js';
import { isBundle } from '../../bundle/format.js';
import { verifyBundle } from '../../bundle/verify.js';
import { isUntpCreditsError } from '../../errors.js';
import { LocalDidStore } from '../../keys/resolver.js';
import { parseTrustFile, type TrustFile } from '../../trust/trust-file.js';
import { verify } from '../../verify/verify.js';
import { credentialVerdict } from '../../verify/verdict.js';
import { verdictHtml } from '../pages/verdict.js';
import { readVerifierInput, unreadable } from '../pages/verifier-input.js';

/**
 * The offline verifier's one operation, run in the browser (no server, no network): verify a pasted
 * or opened credential, presentation or offline bundle against what the user imported — trust files
 * (pinned keys, roots, anchors) and DID documents — and answer the verdict as HTML from the same
 * renderer the server and the CLI use. A bundle needs pinned trust: keys it only carries itself
 * make it fail (UNTRUSTED_KEY), never pass.
 */
export interface OfflineInputs {
  /** The credential, presentation or bundle as text (JSON or a compact vc+jwt). */
  text: string;
  /** Imported files, as text: trust files (`"type": "UntpCreditsTrust"`) and DID documents. */
  trust: readonly string[];
}

export interface ImportedTrust {
  trustFiles: TrustFile[];
  didDocuments: unknown[];
  /** One line per imported file: what it was taken as, or why it was refused. */
  lines: string[];
}

/** Sorts imported files into trust files and DID documents; a file that is neither is reported, not used. */
export function importTrust(files: readonly string[]): ImportedTrust {
  const out: ImportedTrust = { trustFiles: [], didDocuments: [], lines: [] };
  files.forEach((text, index) => {
    const label = `file ${index + 1}`;
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      out.lines.push(`${label}: not JSON, not used`);
      return;
    }
    const object = value as { type?: unknown; id?: unknown } | null;
    if (object && object.type === 'UntpCreditsTrust') {
      try {
        const trust = parseTrustFile(value);
        out.trustFiles.push(trust);
        out.lines.push(`${label}: trust file pinning ${trust.issuers.map((i) => i.did).join(', ') || 'no issuer'}`);
      } catch (error) {
        out.lines.push(`${label}: refused trust file (${isUntpCreditsError(error) ? error.code : 'invalid'})`);
      }
    } else if (object && typeof object.id === 'string' && object.id.startsWith('did:')) {
      out.didDocuments.push(value);
      out.lines.push(`${label}: DID document ${object.id}`);
    } else out.lines.push(`${label}: neither a trust file nor a DID document, not used`);
  });
  return out;
}

/** Several trust files as one: their pinned issuers, roots and anchors together. */
function mergedTrust(files: readonly TrustFile[]): TrustFile | undefined {
  if (files.length === 0) return undefined;
  return {
    type: 'UntpCreditsTrust',
    // Version 2 when any file pins a registry's log (its keys and witnesses are kept with the issuer).
    version: files.some((f) => f.version === 2) ? 2 : 1,
    issuers: files.flatMap((f) => f.issuers),
    roots: files.flatMap((f) => f.roots),
    anchors: files.flatMap((f) => f.anchors),
  };
}

/** The verdict of `inputs` as an HTML fragment (`#verdict` carries `data-outcome`). Never throws. */
export async function verifyOffline(inputs: OfflineInputs, now: Date = new Date()): Promise<string> {
  const imported = importTrust(inputs.trust);
  const clock = () => now;
  try {
    const read = readVerifierInput(inputs.text);
    if ('report' in read) return verdictHtml(credentialVerdict(read.report));
    if (isBundle(read.input)) {
      const local = new LocalDidStore();
      for (const document of imported.didDocuments) local.add(document);
      const trust = mergedTrust(imported.trustFiles);
      const report = await verifyBundle(read.input, {
        ...(trust ? { trust } : {}),
        requireTrust: true,
        local,
        clock,
      });
      return verdictHtml(bundleVerdict(report));
    }
    const report = await verify(read.input, { didDocuments: imported.didDocuments, clock });
    return verdictHtml(credentialVerdict(report));
  } catch (error) {
    // verify() never throws; reading a DID document the user imported may.
    const code = isUntpCreditsError(error) ? error.code : 'INTERNAL_ERROR';
    return verdictHtml(credentialVerdict(unreadable(code, (error as Error).message)));
  }
}
