import type { ValidateFunction } from 'ajv/dist/2020.js';
import { sha256 } from '../lib/hash.js';
import { packageFs, packageModule } from '../lib/platform.js';
import { readBundledText } from './files.js';

/** dist/validators/manifest.json, written by scripts/build-validators.mjs. */
export interface PrecompiledManifest {
  /** SHA-256 of schemas/index.json (which pins every schema file's SHA-256) they were generated from. */
  schemasIndexSha256: string;
  /** Per schema URL, the files (in the manifest's folder) of its allErrors and first-error validators. */
  validators: Record<string, { all: string; verdict: string }>;
}

export const MANIFEST_FILE = 'manifest.json';

/** SHA-256 (hex) of the bundled schema index: it changes whenever a bundled schema does. */
export function schemasIndexDigest(): string {
  return Array.from(sha256(readBundledText('schemas/index.json')), (b) => b.toString(16).padStart(2, '0')).join('');
}

/**
 * Schema validators generated as code at build time (ajv standalone, CommonJS), so that a process
 * which checks one credential does not compile the schemas first. Each file is loaded on first use.
 * Node only: elsewhere (a browser bundle) there are none and schemas compile at run time.
 */
export class PrecompiledValidators {
  constructor(
    /** The folder, as a file: URL ending in '/'. */
    readonly folder: URL,
    private readonly manifest: PrecompiledManifest,
    private readonly load: (file: string) => unknown,
  ) {}

  /** Reads the manifest in `folder` (a file: URL ending in '/'); undefined when there is none or no Node. */
  static read(folder: URL): PrecompiledValidators | undefined {
    const fs = packageFs();
    const module = packageModule();
    if (!fs || !module) return undefined;
    let text: string;
    try {
      text = fs.readFileSync(new URL(MANIFEST_FILE, folder), 'utf8');
    } catch {
      return undefined;
    }
    const require = module.createRequire(folder);
    return new PrecompiledValidators(folder, JSON.parse(text) as PrecompiledManifest, (file) => require(`./${file}`));
  }

  get schemasIndexSha256(): string {
    return this.manifest.schemasIndexSha256;
  }

  urls(): string[] {
    return Object.keys(this.manifest.validators);
  }

  has(url: string): boolean {
    return Object.hasOwn(this.manifest.validators, url);
  }

  validator(url: string, allErrors: boolean): ValidateFunction | undefined {
    const files = this.has(url) ? this.manifest.validators[url] : undefined;
    if (!files) return undefined;
    const loaded = this.load(allErrors ? files.all : files.verdict) as {
      validate: ValidateFunction;
    };
    return loaded.validate;
  }
}

/**
 * The generated validators of the bundled schemas: only when this module runs from the build
 * (dist/, next to dist/validators) and only while the schemas are the ones they were generated
 * from; otherwise (running from source, schemas edited since the build, a browser) schemas compile
 * at run time.
 */
export function bundledPrecompiled(): PrecompiledValidators | undefined {
  if (!packageFs() || !packageModule()) return undefined; // not Node: no file system, no require
  const precompiled = PrecompiledValidators.read(new URL('../validators/', import.meta.url));
  if (!precompiled || precompiled.schemasIndexSha256 !== schemasIndexDigest()) return undefined;
  return precompiled;
}
