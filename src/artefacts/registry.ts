import { nodeFs, requireNodeBuiltin } from '../lib/platform.js';
import { readBundledText } from './files.js';
import { ArtefactUnknownError, InvalidInputError } from '../errors.js';

export type ArtefactKind = 'context' | 'schema' | 'document';

/** One entry of contexts/index.json or schemas/index.json. */
export interface ArtefactEntry {
  url: string;
  aliases?: string[];
  kind: ArtefactKind;
  /** Path relative to the folder holding the index. */
  file: string;
  sha256: string;
  source: string;
  license: string;
}

const BUNDLE_FOLDERS = ['contexts', 'schemas'] as const;

/** Contexts and schemas keyed by published URL: ignore a fragment and nothing else. */
export function normaliseArtefactUrl(url: string): string {
  const hash = url.indexOf('#');
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * The offline store of JSON-LD contexts, JSON Schemas and other documents, keyed by the URL
 * they are published at. It feeds both the JSON-LD document loader and ajv, so the two can
 * never disagree about what a URL means. Nothing is ever fetched: an unknown URL is an error.
 *
 * @example
 *   const registry = ArtefactRegistry.bundled();
 *   registry.get('https://www.w3.org/ns/credentials/v2'); // the VCDM 2.0 context
 */
export class ArtefactRegistry {
  private readonly documents = new Map<string, { kind: ArtefactKind; document: unknown; entry?: ArtefactEntry }>();
  private readonly entries: ArtefactEntry[] = [];
  private readonly loadFile: ((entry: ArtefactEntry) => unknown) | undefined;
  private readonly lazyEntries = new Map<string, ArtefactEntry>();

  private readonly loadText: ((entry: ArtefactEntry) => string) | undefined;

  private constructor(loadFile?: (entry: ArtefactEntry) => unknown, loadText?: (entry: ArtefactEntry) => string) {
    this.loadFile = loadFile;
    this.loadText = loadText;
  }

  private static shared: ArtefactRegistry | undefined;

  /** The registry of artefacts bundled with the package (read once, shared). */
  static bundled(): ArtefactRegistry {
    ArtefactRegistry.shared ??= ArtefactRegistry.fromReader(readBundledText);
    return ArtefactRegistry.shared;
  }

  /** A registry with nothing in it; add what you need. */
  static empty(): ArtefactRegistry {
    return new ArtefactRegistry();
  }

  /** Reads contexts/index.json and schemas/index.json under the folder `root` (Node); files are parsed on first use. */
  static fromFolders(root: string): ArtefactRegistry {
    const fs = requireNodeBuiltin(nodeFs, 'reading contexts and schemas from a folder');
    return ArtefactRegistry.fromReader((path) => fs.readFileSync(`${root}/${path}`, 'utf8'));
  }

  /**
   * Reads `contexts/index.json` and `schemas/index.json` through `read` (a file's text by its path
   * under the root, e.g. `contexts/index.json`); files are parsed on first use.
   */
  static fromReader(read: (path: string) => string): ArtefactRegistry {
    const folders = new Map<ArtefactEntry, string>();
    const text = (entry: ArtefactEntry) => read(`${folders.get(entry)}/${entry.file}`);
    const registry = new ArtefactRegistry((entry) => JSON.parse(text(entry)) as unknown, text);
    for (const dir of BUNDLE_FOLDERS) {
      const list = JSON.parse(read(`${dir}/index.json`)) as ArtefactEntry[];
      for (const entry of list) {
        folders.set(entry, dir);
        registry.entries.push(entry);
        for (const url of [entry.url, ...(entry.aliases ?? [])]) registry.lazyEntries.set(url, entry);
      }
    }
    return registry;
  }

  /** A copy that shares the bundled documents but takes its own additions (extensions, tests). */
  fork(): ArtefactRegistry {
    const copy = new ArtefactRegistry(this.loadFile, this.loadText);
    for (const [url, value] of this.documents) copy.documents.set(url, value);
    for (const [url, entry] of this.lazyEntries) copy.lazyEntries.set(url, entry);
    copy.entries.push(...this.entries);
    return copy;
  }

  /** Registers a document under its URL (and aliases). Replacing a different document is refused. */
  add(url: string, document: unknown, kind: ArtefactKind, aliases: string[] = []): this {
    if (document === null || typeof document !== 'object') {
      throw new InvalidInputError('ARTEFACT_INVALID', `artefact ${url} must be a JSON object`);
    }
    const keys = [url, ...aliases].map(normaliseArtefactUrl);
    for (const key of keys) {
      if (this.has(key) && JSON.stringify(this.get(key)) !== JSON.stringify(document)) {
        throw new InvalidInputError(
          'ARTEFACT_CONFLICT',
          `a different ${this.kindOf(key)} is already registered at ${key}`,
        );
      }
    }
    for (const key of keys) {
      this.lazyEntries.delete(key);
      this.documents.set(key, { kind, document });
    }
    return this;
  }

  has(url: string): boolean {
    const key = normaliseArtefactUrl(url);
    return this.documents.has(key) || this.lazyEntries.has(key);
  }

  /** The kind of artefact at `url`, or undefined when none is known. */
  kindOf(url: string): ArtefactKind | undefined {
    const key = normaliseArtefactUrl(url);
    return this.documents.get(key)?.kind ?? this.lazyEntries.get(key)?.kind;
  }

  /** The parsed document at `url`; throws ArtefactUnknownError (CONTEXT_UNKNOWN / ARTEFACT_UNKNOWN) naming it. */
  get(url: string, expected?: ArtefactKind): unknown {
    const key = normaliseArtefactUrl(url);
    const found = this.documents.get(key);
    if (found) return found.document;
    const entry = this.lazyEntries.get(key);
    if (!entry || !this.loadFile) throw new ArtefactUnknownError(url, expected ?? 'document');
    const document = this.loadFile(entry);
    for (const alias of [entry.url, ...(entry.aliases ?? [])])
      this.documents.set(alias, { kind: entry.kind, document, entry });
    return document;
  }

  /**
   * The bundled file at `url` exactly as published (its SHA-256 is the one in the index), or undefined
   * for a document registered at run time. Servers publish this text, never a re-serialisation.
   */
  text(url: string): string | undefined {
    const entry = this.entryOf(url);
    return entry && this.loadText ? this.loadText(entry) : undefined;
  }

  /** The bundled index entry (provenance, SHA-256) of `url`, or undefined for a document registered at run time. */
  entryOf(url: string): ArtefactEntry | undefined {
    const key = normaliseArtefactUrl(url);
    const found = this.documents.get(key);
    if (found) return found.entry;
    return this.lazyEntries.get(key);
  }

  /** Every URL (not aliases) of the given kind. */
  urls(kind?: ArtefactKind): string[] {
    const seen = new Set<string>();
    for (const [url, { kind: k }] of this.documents) if (!kind || k === kind) seen.add(url);
    for (const entry of this.entries) if (!kind || entry.kind === kind) seen.add(entry.url);
    for (const entry of this.entries) for (const alias of entry.aliases ?? []) seen.delete(alias);
    return [...seen].sort();
  }

  /** Bundled entries with their provenance, for NOTICE and integrity checks. */
  provenance(): readonly ArtefactEntry[] {
    return this.entries;
  }

  /**
   * A jsonld.js-compatible document loader that serves only what is registered.
   * An unknown URL rejects with CONTEXT_UNKNOWN naming it; there is no network fallback.
   */
  readonly documentLoader = async (
    url: string,
  ): Promise<{ contextUrl: null; documentUrl: string; document: unknown }> => {
    return { contextUrl: null, documentUrl: url, document: this.get(url, 'context') };
  };
}
