import type * as Fs from 'node:fs';
import { nodeFs, requireNodeBuiltin } from '../lib/platform.js';
import { InvalidInputError, UntpCreditsError, isUntpCreditsError } from '../errors.js';
import { didMethod, didOf, isDid } from './did.js';
import { resolveDidKey } from './did-key.js';
import { fetchDidWebDocument, type DidWebHttpsOptions } from './did-web-https.js';
import type { DidDocument } from './types.js';

/**
 * Turns a DID into its DID document. Errors (UntpCreditsError): DID_INVALID, DID_NOT_FOUND,
 * DID_METHOD_UNSUPPORTED, DID_DOCUMENT_INVALID, and the did:web HTTPS codes.
 */
export interface DidResolver {
  resolve(did: string): Promise<DidDocument>;
}

/** DID documents held locally (files, a directory, the registry's own), keyed by their `id`. */
export class LocalDidStore {
  private readonly documents = new Map<string, DidDocument>();

  /** Adds a document; it must be a JSON object whose `id` is a DID. A later document for the same DID replaces it. */
  add(document: unknown): this {
    const doc = checkDidDocument(document);
    this.documents.set(doc.id, doc);
    return this;
  }

  get(did: string): DidDocument | undefined {
    return this.documents.get(did);
  }

  dids(): string[] {
    return [...this.documents.keys()];
  }

  /** Reads DID documents from JSON files. Errors name the file (DID_DOCUMENT_UNREADABLE). */
  addFiles(paths: readonly string[]): this {
    for (const path of paths) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(files().readFileSync(path, 'utf8'));
      } catch (error) {
        throw new InvalidInputError('DID_DOCUMENT_UNREADABLE', `${path}: ${(error as Error).message}`);
      }
      try {
        this.add(parsed);
      } catch (error) {
        throw new InvalidInputError('DID_DOCUMENT_INVALID', `${path}: ${(error as Error).message}`);
      }
    }
    return this;
  }

  /**
   * Reads every *.json file of a directory as a DID document, except key files (a JSON object with
   * `kty`: a JWK, as `keys generate` writes beside the DID document), which are skipped unread as
   * keys. Any other file that is not a DID document is an error naming it.
   */
  addDirectory(directory: string): this {
    const names = files()
      .readdirSync(directory)
      .filter((name) => name.endsWith('.json'))
      .sort()
      .map((name) => `${directory.replace(/\/+$/, '')}/${name}`);
    return this.addFiles(names.filter((path) => !isJwkFile(path)));
  }
}

/** A file holding one JWK (public or private): not a DID document, never loaded as one. */
function isJwkFile(path: string): boolean {
  try {
    const parsed = JSON.parse(files().readFileSync(path, 'utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null && typeof (parsed as { kty?: unknown }).kty === 'string';
  } catch {
    return false; // unreadable or not JSON: addFiles names it
  }
}

export interface DidResolverOptions {
  /** DID documents known locally (did:web and any other method). */
  store?: LocalDidStore;
  documents?: readonly unknown[];
  /** Fetch did:web documents not held locally over HTTPS. Off unless set (true or options). */
  https?: boolean | DidWebHttpsOptions;
}

/**
 * did:key is built in; any other DID comes from the local store; did:web documents not held
 * locally are fetched over HTTPS only when `https` is set.
 *
 * @example
 *   const resolver = createDidResolver({ store: new LocalDidStore().addFiles(['did.json']) });
 */
export function createDidResolver(options: DidResolverOptions = {}): DidResolver {
  const store = options.store ?? new LocalDidStore();
  for (const document of options.documents ?? []) store.add(document);
  const https = httpsOptionsOf(options.https);
  return {
    async resolve(did: string): Promise<DidDocument> {
      if (!isDid(did) || didOf(did) !== did) throw new InvalidInputError('DID_INVALID', `${did} is not a DID`);
      const local = store.get(did);
      if (local) return local;
      const method = didMethod(did);
      if (method === 'key') return resolveDidKey(did);
      if (method === 'web') {
        if (!https)
          throw new UntpCreditsError(
            'DID_NOT_FOUND',
            `no DID document for ${did} is held locally (give it with --did-doc, or allow HTTPS resolution)`,
            { details: { did } },
          );
        return fetchCheckedDidWebDocument(did, https);
      }
      throw new UntpCreditsError('DID_METHOD_UNSUPPORTED', `did:${method} is not supported (did:key, did:web)`, {
        details: { did },
      });
    },
  };
}

/** The `https` resolver option as fetch options: `true` means the defaults, absent or false means off. */
export function httpsOptionsOf(https: boolean | DidWebHttpsOptions | undefined): DidWebHttpsOptions | undefined {
  return https === true ? {} : https || undefined;
}

/**
 * A did:web document over HTTPS (the guarded fetcher), checked before any key is read from it: a
 * JSON object whose `id` is `did`, with an array of verification methods (DID_DOCUMENT_INVALID).
 */
export async function fetchCheckedDidWebDocument(did: string, https: DidWebHttpsOptions): Promise<DidDocument> {
  let fetched: DidDocument;
  try {
    fetched = checkDidDocument(await fetchDidWebDocument(did, https));
  } catch (error) {
    if (isUntpCreditsError(error)) throw error;
    throw new UntpCreditsError('DID_DOCUMENT_INVALID', `${did}: ${(error as Error).message}`, { cause: error });
  }
  if (fetched.id !== did)
    throw new UntpCreditsError('DID_DOCUMENT_INVALID', `the document fetched for ${did} has id ${fetched.id}`);
  return fetched;
}

function checkDidDocument(document: unknown): DidDocument {
  if (document === null || typeof document !== 'object' || Array.isArray(document))
    throw new InvalidInputError('DID_DOCUMENT_INVALID', 'a DID document must be a JSON object');
  const id = (document as { id?: unknown }).id;
  if (!isDid(id)) throw new InvalidInputError('DID_DOCUMENT_INVALID', 'a DID document needs an `id` that is a DID');
  const methods = (document as { verificationMethod?: unknown }).verificationMethod;
  if (methods !== undefined && !Array.isArray(methods))
    throw new InvalidInputError('DID_DOCUMENT_INVALID', `${id}: verificationMethod must be an array`);
  return document as DidDocument;
}

/** node:fs, or RUNTIME_UNSUPPORTED in a browser: DID documents there are given, not read from files. */
function files(): typeof Fs {
  return requireNodeBuiltin(nodeFs, 'reading DID documents from files');
}
