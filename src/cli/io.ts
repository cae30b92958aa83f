import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** An input the CLI could not read or parse: the CLI says which and exits 2. */
export class UnreadableInputError extends Error {
  constructor(
    readonly source: string,
    reason: string,
  ) {
    super(`${source}: ${reason}`);
  }
}

const JSON_FILE = /\.(json|jsonld|jwt|vc|txt)$/i;

/** Expands the arguments into files: a directory gives its JSON files (recursively, sorted); '-' is stdin. */
export function expandInputs(args: string[]): string[] {
  const files: string[] = [];
  for (const arg of args) {
    if (arg === '-') {
      files.push(arg);
      continue;
    }
    let stat;
    try {
      stat = statSync(arg);
    } catch {
      files.push(arg); // reported as missing when read
      continue;
    }
    if (stat.isDirectory()) files.push(...listFiles(arg));
    else files.push(arg);
  }
  return files;
}

function listFiles(dir: string): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...listFiles(path));
    else if (JSON_FILE.test(entry.name)) out.push(path);
  }
  return out;
}

/** Reads a file (or stdin for '-') as JSON, or as a bare compact JWS string. */
export function readJsonInput(source: string): unknown {
  let text: string;
  try {
    text = readFileSync(source === '-' ? 0 : source, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new UnreadableInputError(
      source === '-' ? 'stdin' : source,
      code === 'ENOENT' ? 'no such file' : `cannot read (${code ?? (error as Error).message})`,
    );
  }
  const trimmed = text.trim();
  if (/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+$/.test(trimmed)) return trimmed;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new UnreadableInputError(source === '-' ? 'stdin' : source, `not JSON (${(error as Error).message})`);
  }
}
