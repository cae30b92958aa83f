import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

// `npm run lint` runs scripts/check-imports.mjs on src; here it runs on small trees laid out like src,
// one that keeps the rules and one that breaks each of them once.
const CHECKER = fileURLToPath(new URL('../../scripts/check-imports.mjs', import.meta.url));
const run = promisify(execFile);
const dirs: string[] = [];

function tree(files: Record<string, string>): string {
  const root = mkdtempSync(join(tmpdir(), 'untp-imports-'));
  dirs.push(root);
  const all: Record<string, string> = {
    'tsconfig.json': JSON.stringify({
      compilerOptions: { module: 'NodeNext', moduleResolution: 'NodeNext', strict: true },
    }),
    ...files,
  };
  for (const [path, text] of Object.entries(all)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return root;
}

async function check(root: string): Promise<{ code: number; output: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [CHECKER], { cwd: root });
    return { code: 0, output: stdout + stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, output: e.stdout + e.stderr };
  }
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('import rules (npm run lint)', () => {
  it('passes a tree whose layers point one way; type-only imports make no cycle', async () => {
    const root = tree({
      'src/errors.ts': 'export class UntpCreditsError extends Error {}\n',
      'src/lib/digest.ts':
        "import { UntpCreditsError } from '../errors.js';\nexport const digest = (s: string) => { if (!s) throw new UntpCreditsError(); return s; };\n",
      'src/secure/sign.ts':
        "import { digest } from '../lib/digest.js';\nimport type { Report } from '../validate/report.js';\nexport const sign = (s: string): Report | string => digest(s);\n",
      'src/validate/report.ts':
        "import type { sign } from '../secure/sign.js';\nexport type Report = { signedBy: typeof sign };\n",
      'src/verify/verify.ts':
        "import { sign } from '../secure/sign.js';\nexport const verify = (s: string) => sign(s) === s;\n",
      'src/registry/ledger.ts':
        "import { verify } from '../verify/verify.js';\nexport const ledger = () => verify('x');\n",
      'src/cli/main.ts': "import { ledger } from '../registry/ledger.js';\nledger();\n",
    });
    const { code, output } = await check(root);
    expect(output).toContain('no cycles, layers respected');
    expect(code).toBe(0);
  });

  it('fails on a file cycle, a folder cycle and each layer violation, naming each', async () => {
    const root = tree({
      'src/errors.ts': 'export class UntpCreditsError extends Error {}\n',
      // a runtime cycle between two files of one folder
      'src/verify/a.ts': "import { b } from './b.js';\nexport const a = () => b();\n",
      'src/verify/b.ts': "import { a } from './a.js';\nexport const b = (): unknown => a;\n",
      // a cycle between folders without any file cycle: credits/x → status/y, status/z → credits/w
      'src/credits/x.ts': "import { y } from '../status/y.js';\nexport const x = y;\n",
      'src/status/y.ts': 'export const y = 1;\n',
      'src/status/z.ts': "import { w } from '../credits/w.js';\nexport const z = w;\n",
      'src/credits/w.ts': 'export const w = 2;\n',
      // secure imports verify; the core imports the registry; lib imports a domain folder
      'src/secure/jose.ts': "import { a } from '../verify/a.js';\nexport const jose = a;\n",
      'src/bundle/build.ts': "import { ledger } from '../registry/ledger.js';\nexport const build = ledger;\n",
      'src/registry/ledger.ts': 'export const ledger = 3;\n',
      'src/lib/pointer.ts': "import { y } from '../status/y.js';\nexport const pointer = y;\n",
      // the root entry reaches a node: built-in that scripts/root-entry-node-imports.json does not list
      'src/index.ts': "export { reader } from './net/read.js';\n",
      'src/net/read.ts': "import { readFileSync } from 'node:fs';\nexport const reader = readFileSync;\n",
    });
    const { code, output } = await check(root);
    expect(code).toBe(1);
    expect(output).toMatch(/no-cycle: src\/verify\/a\.ts → src\/verify\/b\.ts → src\/verify\/a\.ts/);
    expect(output).toMatch(/no-folder-cycle: credits, status import each other/);
    expect(output).toMatch(/secure-below-verify: src\/secure\/jose\.ts → src\/verify\/a\.ts/);
    expect(output).toMatch(/core-below-edges: src\/bundle\/build\.ts → src\/registry\/ledger\.ts/);
    expect(output).toMatch(/lib-is-a-leaf: src\/lib\/pointer\.ts → src\/status\/y\.ts/);
    expect(output).toMatch(/root-entry-node-builtin: src\/net\/read\.ts → node:fs/);
  });
});
