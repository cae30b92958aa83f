import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

// The network rule: every outbound request from src/ goes through src/net/guarded-fetch.ts. This test
// greps the source tree so that a new direct fetch(), http(s).request/get, socket connect or
// undici call elsewhere fails CI instead of silently bypassing the guard.

const GUARD = 'src/net/guarded-fetch.ts';

/**
 * Files allowed to contain a matching pattern, and why. Each entry is re-checked: it must still exist
 * and still match (so the list cannot rot into a blanket exemption).
 */
const EXEMPT: Record<string, string> = {
  // The verifier web page's browser-side script (sent to the browser as text): it fetches the
  // page's own origin from the user's browser, not from the server process.
  'src/server/pages/verifier.ts': 'browser script, same-origin',
  // The offline verifier's service worker (written to dist/offline-verifier/sw.js): runs in the
  // browser and fetches only the page's own files when they are not cached.
  'src/server/offline/assets.ts': 'browser service worker, same-origin',
  // Pushes checkpoints to the witnesses the operator configured (serve --witness); no URL it posts
  // to comes from a request or a credential. Moving it onto the guarded fetcher is still to do.
  'src/registry/log/witness-push.ts': 'operator-configured witness URLs only',
};

const PATTERNS: Array<[string, RegExp]> = [
  ['fetch(', /(?<![\w.$])fetch\s*\(/],
  ['globalThis.fetch', /globalThis\s*\.\s*fetch\b/],
  ['http(s).request/get', /\bhttps?\s*\.\s*(request|get)\s*\(/],
  [
    'request/get imported from node:http(s)',
    /import\s*\{[^}]*\b(request|get)\b[^}]*\}\s*from\s*['"](node:)?https?['"]/,
  ],
  ['node:http(s) default/namespace import', /import\s+(\*\s+as\s+)?\w+\s+from\s*['"](node:)?https?['"]/],
  ['require of http(s)', /require\(\s*['"](node:)?https?['"]\s*\)/],
  [
    'net/tls connect',
    /\b(net|tls)\s*\.\s*(connect|createConnection)\s*\(|import\s*\{[^}]*\b(connect|createConnection)\b[^}]*\}\s*from\s*['"](node:)?(net|tls)['"]/,
  ],
  ['undici', /['"]undici['"]/],
  ['XMLHttpRequest / WebSocket / EventSource', /\bnew\s+(XMLHttpRequest|WebSocket|EventSource)\b/],
  // A type-only import (lib/platform.ts names the module's type) performs no lookup.
  ['dns lookups outside the guard', /^(?!\s*import\s+type\b).*from\s*['"](node:)?dns(\/promises)?['"]/],
];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...sourceFiles(path));
    else if (/\.(ts|js|mjs|cjs)$/.test(name)) out.push(relative(process.cwd(), path).split('\\').join('/'));
  }
  return out;
}

function hits(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const found: string[] = [];
  for (const [name, pattern] of PATTERNS) {
    const lines = text.split('\n');
    for (const [i, line] of lines.entries()) {
      if (/^\s*(\/\/|\*)/.test(line)) continue; // comments and doc examples
      if (pattern.test(line)) found.push(`${file}:${i + 1}: ${name}: ${line.trim().slice(0, 120)}`);
    }
  }
  return found;
}

describe('network rule: one guarded fetcher', () => {
  const files = sourceFiles('src');

  it('finds the source tree and the guard', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(files).toContain(GUARD);
    expect(hits(GUARD).length).toBeGreaterThan(0); // the patterns do catch the real request
  });

  it('no file outside src/net/guarded-fetch.ts opens outbound connections', () => {
    const violations = files.filter((f) => f !== GUARD && !(f in EXEMPT)).flatMap(hits);
    console.log(
      `network rule: ${files.length} source files scanned, ${violations.length} direct outbound calls outside ${GUARD}`,
    );
    expect(violations).toEqual([]);
  });

  it('each exemption still exists and still needs its exemption', () => {
    for (const file of Object.keys(EXEMPT)) {
      expect(files, file).toContain(file);
      expect(hits(file).length, file).toBeGreaterThan(0);
    }
  });

  it('the patterns catch the usual ways of making a request', () => {
    const samples = [
      "await fetch('https://x')",
      'const r = await globalThis.fetch(u)',
      'https.request(url, cb)',
      'http.get(url)',
      "import { request } from 'node:https';",
      "import https from 'https';",
      "import * as http from 'node:http';",
      "const h = require('https')",
      'net.connect(80, host)',
      "import { connect } from 'node:tls';",
      "import { fetch } from 'undici';",
      'new WebSocket(url)',
      "import { lookup } from 'node:dns';",
    ];
    for (const sample of samples)
      expect(
        PATTERNS.some(([, p]) => p.test(sample)),
        sample,
      ).toBe(true);
    for (const innocent of [
      'prefetch(items)',
      'this.fetchAll()',
      'await store.fetch(x)',
      "import { createServer } from 'node:http';",
    ]) {
      expect(
        PATTERNS.some(([, p]) => p.test(innocent)),
        innocent,
      ).toBe(false);
    }
  });
});
