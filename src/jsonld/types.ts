import type { Issue } from '../validate/report.js';

/**
 * An RDF quad in the shape jsonld.js produces and rdf-canonize consumes
 * (RDF/JS-like terms: { termType, value, datatype?, language? }).
 */
export interface RdfTerm {
  termType: 'NamedNode' | 'BlankNode' | 'Literal' | 'DefaultGraph';
  value: string;
  datatype?: { termType: 'NamedNode'; value: string };
  language?: string;
}
export interface RdfQuad {
  subject: RdfTerm;
  predicate: RdfTerm;
  object: RdfTerm;
  graph: RdfTerm;
}

export interface JsonLdCheckResult {
  /** Which implementation did the work: the fast path for pinned contexts, or jsonld.js. */
  engine: 'fast' | 'jsonld.js';
  /** The expanded document, or null when expansion failed outright. */
  expanded: unknown[] | null;
  /**
   * Errors: JSONLD_TERM_DROPPED (a term JSON-LD would drop), JSONLD_NODE_UNTYPED (a node whose
   * terms are dropped because it carries no type), CONTEXT_UNKNOWN (a context URL that is not
   * bundled or registered), JSONLD_PROTECTED_REDEFINITION, JSONLD_UNSAFE (any other safe-mode
   * event, e.g. a relative IRI), JSONLD_INVALID (the document is not valid JSON-LD).
   */
  errors: Issue[];
  /** Warnings: JSONLD_VOCAB_TERM (a term defined only by a class-scoped @vocab catch-all). */
  warnings: Issue[];
}

/**
 * The one JSON-LD interface of the pipeline. Everything that needs JSON-LD — validation,
 * Data Integrity canonicalization — goes through it, so a faster implementation can replace
 * jsonld.js without touching callers. Implementations never fetch: contexts come from the
 * artefact registry.
 */
export interface JsonLdProcessor {
  /** Expands in (collecting) safe mode and reports every dropped or @vocab-caught term. Never throws on bad input. */
  check(document: unknown): Promise<JsonLdCheckResult>;
  /**
   * The RDF dataset of the document, for RDFC-1.0 canonicalization. Rejects with an
   * UntpCreditsError (code as in `check`) where safe mode would.
   */
  toRdf(document: unknown): Promise<RdfQuad[]>;
}
