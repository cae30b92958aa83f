import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBundle } from '../../src/cli/bundle.js';
import { openRegistryAccess, type RegistryAccess, type RegistryTransport } from '../../src/cli/registry-access.js';
import { cobaltStory, type CobaltStory } from '../bundle/fixture.js';

/**
 * `untp-credits bundle --retirement ID` without `--out`: it writes `<ID>.bundle.json` into the
 * working directory and says so, never replaces a file there (BUNDLE_FILE_EXISTS, exit 2), and
 * writes nothing else, anywhere. Runs in a fresh temporary working directory (the test process
 * chdirs; vitest runs each file in its own process) against a registry served by a fake transport.
 */
function capture() {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l: string) => lines.push(l), err: (l: string) => errors.push(l) };
}

const REGISTRY = 'https://registry.example';
const base = mkdtempSync(join(tmpdir(), 'untp-bundle-cwd-'));
const cwd = join(base, 'project');
const home = process.cwd();
let story: CobaltStory;
let access: RegistryAccess;
const requested: string[] = [];

async function bundle(options: { retirement: string; out?: string }) {
  const c = capture();
  const code = await runBundle({ registry: REGISTRY, ...options }, c.out, c.err, {} as NodeJS.ProcessEnv, access);
  return { code, ...c };
}

describe('bundle without --out', () => {
  beforeAll(async () => {
    story = await cobaltStory();
    const transport: RegistryTransport = async (request) => {
      requested.push(request.url);
      return /\/registry\/retirements\/[^/]+\/bundle$/.test(request.url)
        ? { status: 200, body: JSON.stringify(story.bundle) }
        : { status: 404, body: '{}' };
    };
    access = await openRegistryAccess({ registry: REGISTRY }, {} as NodeJS.ProcessEnv, transport);
    const { mkdirSync } = await import('node:fs');
    mkdirSync(cwd);
    process.chdir(cwd);
  });
  afterAll(() => {
    process.chdir(home);
    rmSync(base, { recursive: true, force: true });
  });

  it('writes <ID>.bundle.json into the working directory, and says where and that it was the default', async () => {
    const first = await bundle({ retirement: 'RET-2026-0007' });
    expect(first.errors).toEqual([]);
    expect(first.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['RET-2026-0007.bundle.json']);
    expect(readdirSync(base)).toEqual(['project']); // nothing beside it either
    expect(JSON.parse(readFileSync(join(cwd, 'RET-2026-0007.bundle.json'), 'utf8'))).toEqual(story.bundle);
    // Not silent: the line names the file and that the default name was used in this directory.
    expect(first.lines).toHaveLength(1);
    expect(first.lines[0]).toContain('✔ bundle RET-2026-0007 → RET-2026-0007.bundle.json');
    expect(first.lines[0]).toContain('(the default name, in this directory; --out FILE or --out - to choose)');
  });

  it('refuses to replace that file (BUNDLE_FILE_EXISTS, exit 2) and leaves it byte for byte; a named --out replaces it', async () => {
    const file = join(cwd, 'RET-2026-0007.bundle.json');
    writeFileSync(file, 'my own notes\n');
    const before = statSync(file).mtimeMs;
    const again = await bundle({ retirement: 'RET-2026-0007' });
    expect(again.code).toBe(2);
    expect(again.lines).toEqual([]);
    expect(again.errors).toHaveLength(1);
    expect(again.errors[0]).toMatch(
      /^bundle: BUNDLE_FILE_EXISTS: RET-2026-0007\.bundle\.json exists in this directory/,
    );
    expect(again.errors[0]).toContain('--out FILE');
    expect(readFileSync(file, 'utf8')).toBe('my own notes\n');
    expect(statSync(file).mtimeMs).toBe(before);
    expect(readdirSync(cwd)).toEqual(['RET-2026-0007.bundle.json']);

    // Negative twin: asked by name, the same file is replaced (the user chose it).
    const named = await bundle({ retirement: 'RET-2026-0007', out: 'RET-2026-0007.bundle.json' });
    expect(named.code).toBe(0);
    expect(named.lines[0]).not.toContain('the default name');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(story.bundle);
  });

  it('--out - prints the bundle and writes no file', async () => {
    rmSync(join(cwd, 'RET-2026-0007.bundle.json'));
    const chunks: string[] = [];
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string) => (chunks.push(String(chunk)), true)) as typeof process.stdout.write;
    let printed;
    try {
      printed = await bundle({ retirement: 'RET-2026-0007', out: '-' });
    } finally {
      process.stdout.write = write;
    }
    expect(printed.code).toBe(0);
    expect(JSON.parse(chunks.join(''))).toEqual(story.bundle);
    expect(readdirSync(cwd)).toEqual([]);
  });

  it('an id with path characters still names a file in this directory (never ../ or a subfolder)', async () => {
    const odd = await bundle({ retirement: '../x/RET 1' });
    expect(odd.code).toBe(0);
    expect(readdirSync(cwd)).toEqual(['.._x_RET_1.bundle.json']);
    expect(readdirSync(base)).toEqual(['project']);
    expect(requested.at(-1)).toBe(`${REGISTRY}/registry/retirements/..%2Fx%2FRET%201/bundle`);
  });
});
