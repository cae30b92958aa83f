// Digital Bazaar packages (and a few others) ship no type declarations; they are declared once, here,
// with only the members this project uses.

declare module 'jsonld' {
  export interface JsonLdEvent {
    type: string[];
    code: string;
    /** 'warning' for safe-mode events. */
    level: string;
    message: string;
    details?: Record<string, unknown>;
  }
  export type EventHandler = (arg: { event: JsonLdEvent; next: () => void }) => void;
  export type DocumentLoader = (
    url: string,
  ) => Promise<{ contextUrl: string | null; documentUrl: string; document: unknown }>;
  export interface Options {
    documentLoader?: DocumentLoader;
    safe?: boolean;
    eventHandler?: EventHandler | EventHandler[];
    base?: string | null;
    format?: string;
    produceGeneralizedRdf?: boolean;
    rdfDirection?: string;
    [key: string]: unknown;
  }
  const jsonld: {
    expand(input: unknown, options?: Options): Promise<unknown[]>;
    compact(input: unknown, ctx: unknown, options?: Options): Promise<Record<string, unknown>>;
    toRDF(input: unknown, options?: Options): Promise<any>;
    canonize(input: unknown, options?: Options): Promise<string>;
    documentLoader: DocumentLoader;
  };
  export default jsonld;
}

// jsonld.js internals the fast JSON-LD path reuses as is (same package, same version): RDF conversion of
// expanded JSON-LD, and IRI resolution.
declare module 'jsonld/lib/toRdf.js' {
  const toRdf: {
    toRDF(
      expanded: unknown[],
      options: { eventHandler?: unknown; rdfDirection?: string; produceGeneralizedRdf?: boolean },
    ): unknown[];
  };
  export default toRdf;
}

declare module 'jsonld/lib/ContextResolver.js' {
  export default class ContextResolver {
    constructor(options: { sharedCache: { get(key: string): unknown; set(key: string, value: unknown): unknown } });
  }
}

declare module 'jsonld/lib/ResolvedContext.js' {
  export default class ResolvedContext {
    setProcessed(activeCtx: unknown, processed: { context: unknown; events: unknown[] }): void;
  }
}

declare module 'jsonld/lib/url.js' {
  const url: { prependBase(base: string | null | undefined, iri: string): string; isAbsolute(v: unknown): boolean };
  export default url;
}

declare module 'rdf-canonize' {
  export function canonize(
    dataset: unknown,
    options: {
      /** 'RDFC-1.0'. */
      algorithm: string;
      format?: string;
      inputFormat?: string;
      messageDigestAlgorithm?: string;
      [key: string]: unknown;
    },
  ): Promise<string>;
  export const NQuads: {
    parse(input: string): any[];
    serialize(dataset: unknown): string;
    serializeQuad(quad: unknown): string;
  };
  const rdfCanonize: { canonize: typeof canonize; NQuads: typeof NQuads };
  export default rdfCanonize;
}

declare module '@digitalbazaar/vc' {
  export function issue(options: Record<string, unknown>): Promise<any>;
  export function verifyCredential(options: Record<string, unknown>): Promise<any>;
  export function createPresentation(options: Record<string, unknown>): any;
  export function signPresentation(options: Record<string, unknown>): Promise<any>;
  export function verify(options: Record<string, unknown>): Promise<any>;
  export const defaultDocumentLoader: unknown;
}

declare module '@digitalbazaar/data-integrity' {
  export class DataIntegrityProof {
    constructor(options: Record<string, unknown>);
  }
}

declare module '@digitalbazaar/eddsa-rdfc-2022-cryptosuite' {
  export const cryptosuite: unknown;
}

declare module '@digitalbazaar/ecdsa-rdfc-2019-cryptosuite' {
  export const cryptosuite: unknown;
}

declare module '@digitalbazaar/ed25519-multikey' {
  export function generate(options?: Record<string, unknown>): Promise<any>;
  export function from(key: unknown): Promise<any>;
  export function fromJwk(options: Record<string, unknown>): Promise<any>;
  export function toJwk(options: Record<string, unknown>): Promise<any>;
}

declare module '@digitalbazaar/ecdsa-multikey' {
  export function generate(options?: Record<string, unknown>): Promise<any>;
  export function from(key: unknown): Promise<any>;
  export function fromJwk(options: Record<string, unknown>): Promise<any>;
  export function toJwk(options: Record<string, unknown>): Promise<any>;
}

declare module 'jsonld-signatures' {
  export const purposes: Record<string, any>;
  export function extendContextLoader(loader: unknown): unknown;
}
