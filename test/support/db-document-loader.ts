import { ArtefactRegistry } from '../../src/artefacts/registry.js';
import type { DidDocument } from '../../src/keys/types.js';

/**
 * A document loader for Digital Bazaar's stack, which resolves verification methods and controller
 * documents through it: the given DID documents (and their methods, as Multikey documents) from
 * memory, contexts from the offline registry; any other DID or method is an error.
 */
export function documentLoaderFor(...documents: DidDocument[]) {
  const registry = ArtefactRegistry.bundled();
  return async (url: string) => {
    if (url.startsWith('did:')) {
      const [did] = url.split('#');
      const document = documents.find((d) => d.id === did);
      if (!document) throw new Error(`unknown DID ${url}`);
      if (!url.includes('#')) return { contextUrl: null, documentUrl: url, document };
      const method = document.verificationMethod?.find((m) => m.id === url);
      if (!method) throw new Error(`unknown method ${url}`);
      return {
        contextUrl: null,
        documentUrl: url,
        document: { '@context': 'https://w3id.org/security/multikey/v1', ...method },
      };
    }
    return registry.documentLoader(url);
  };
}
