import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ROOT } from '../helpers.js';
import { freePort, spawnCollecting } from '../support/child.js';
import { userProject, userShellEnv } from '../support/user-project.js';

/**
 * The README's "A registry issuing and retiring" blocks, run as written with bash, two ways at once:
 * - behind TLS: the only change is the registry's address (https://registry.example.org → a local
 *   HTTPS proxy with a certificate from a test CA made here with the openssl CLI);
 * - in demo mode, as the README says to try it first: the `serve` line replaced by the README's
 *   demo line (`serve --demo --no-seed`) and the address by http://localhost:<port>, no proxy.
 * The package is installed the way a user's project holds it (node_modules/untp-credits, its bin
 * on npx's path), so `npx untp-credits` is the command a user runs. The two runs share nothing but
 * the package; they run side by side so the demo run adds little wall time.
 */
const README = readFileSync(join(ROOT, 'README.md'), 'utf8');
const block = (name: string) =>
  new RegExp(`<!-- ${name}:start -->\\n\`\`\`sh\\n([\\s\\S]*?)\`\`\`\\n<!-- ${name}:end -->`).exec(README)?.[1];
const SERVER_BLOCK = block('walkthrough-server');
const WALKTHROUGH = block('walkthrough');
const DEMO_SERVE = block('walkthrough-demo');
/** The server block's `serve` line (the one the demo line replaces). */
const SERVE_LINE = /^UNTP_CREDITS_ADMIN_KEY=.* npx untp-credits serve\b.*$/m;
const tools = ['openssl', 'curl'].filter((tool) => spawnSync(tool, ['--version']).error === undefined);

const work = mkdtempSync(join(tmpdir(), 'untp-credits-walkthrough-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function openssl(...args: string[]): void {
  const run = spawnSync('openssl', args, { cwd: work, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`openssl ${args.join(' ')}: ${run.stderr}`);
}

/** A throwaway CA and a certificate for localhost signed by it (EC P-256, valid two days). */
function testCertificates(): { ca: string; key: string; cert: string } {
  const ec = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes'];
  openssl(
    'req',
    '-x509',
    ...ec,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
    '-days',
    '2',
    '-subj',
    '/CN=untp-credits test CA',
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl('req', ...ec, '-keyout', 'site.key', '-out', 'site.csr', '-subj', '/CN=localhost');
  writeFileSync(
    join(work, 'site.ext'),
    'subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\nextendedKeyUsage=serverAuth\n',
  );
  openssl(
    'x509',
    '-req',
    '-in',
    'site.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-out',
    'site.pem',
    '-days',
    '2',
    '-extfile',
    'site.ext',
  );
  return {
    ca: join(work, 'ca.pem'),
    key: readFileSync(join(work, 'site.key'), 'utf8'),
    cert: readFileSync(join(work, 'site.pem'), 'utf8'),
  };
}

/** The TLS proxy in front of the server, as in docs/deploy.md: HTTPS outside, HTTP to 127.0.0.1:backend. */
function tlsProxy(tls: { key: string; cert: string }, backend: number): Server {
  return createHttpsServer(tls, (req, res) => {
    const upstream = httpRequest(
      {
        host: '127.0.0.1',
        port: backend,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, 'x-forwarded-proto': 'https', 'x-forwarded-for': req.socket.remoteAddress ?? '' },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('bad gateway: the registry is not listening yet\n');
    });
    req.pipe(upstream);
  });
}

const userProjectIn = (name: string) => userProject(join(work, name));

const killGroup = (pid: number | undefined, signal: NodeJS.Signals) => {
  try {
    process.kill(-(pid as number), signal);
  } catch {
    // already gone
  }
};

/**
 * Runs the two blocks as two bash scripts in `project` (each its own process group, as a
 * terminal's foreground job: Ctrl-C is SIGINT to the group), checks the story's output, then
 * stops the server with Ctrl-C and checks that it says so.
 */
async function walkthrough(
  project: string,
  scripts: { server: string; story: string },
  env: NodeJS.ProcessEnv,
  serving: string,
): Promise<void> {
  writeFileSync(join(project, 'server.sh'), scripts.server);
  writeFileSync(join(project, 'walkthrough.sh'), scripts.story);
  const run = (file: string) =>
    spawnCollecting('bash', ['-e', file], { cwd: project, detached: true, env: userShellEnv(env) });
  const server = run('server.sh');
  const story = run('walkthrough.sh');
  try {
    // A server block that ends first (it could not start) fails at once, with its output,
    // instead of leaving the walkthrough polling /healthz until the test times out.
    const first = await Promise.race([
      story.exited.then((exit) => ({ block: 'walkthrough', exit })),
      server.exited.then((exit) => ({ block: 'server', exit })),
    ]);
    if (first.block === 'server')
      throw new Error(`${project}: the server block ended (exit ${String(first.exit)}) first:\n${server.output()}`);
    const code = await story.exited;
    const out = story.output();
    expect(code, `${project} walkthrough:\n${out}\nserver:\n${server.output()}`).toBe(0);
    expect(server.output()).toContain(serving);
    expect(out).toContain('"accountId":"ACC-CD-0001"');
    expect(out).toContain('"issuanceId":"RCC-2026-Q1-0001"');
    expect(out).toMatch(/"retirementId":"RET-2026-0007"/);
    expect(out).toMatch(/✔ RET-2026-0007\.bundle\.json\s+verified\s/);
    killGroup(server.child.pid, 'SIGINT'); // Ctrl-C
    await server.exited; // bash itself ends by the SIGINT, as a script in a terminal does
    expect(server.output()).toMatch(/stopping \(SIG(INT|TERM)\)[\s\S]*untp-credits stopped/);
  } finally {
    killGroup(story.child.pid, 'SIGKILL'); // anything left behind
    killGroup(server.child.pid, 'SIGKILL');
  }
}

describe.skipIf(!SERVER_BLOCK || !WALKTHROUGH || !DEMO_SERVE || tools.length < 2)(
  'the README walkthrough runs as written (bash, curl, openssl)',
  () => {
    it('first keys → server (behind HTTPS; and in demo mode on http://localhost) → accounts → issuance → transfer → retirement → bundle verifies', async () => {
      const serverBlock = SERVER_BLOCK as string;
      const story = WALKTHROUGH as string;
      // The demo line replaces exactly one line: the server block's `serve`.
      expect(serverBlock.match(new RegExp(SERVE_LINE.source, 'gm'))).toHaveLength(1);
      const demoServe = (DEMO_SERVE as string).trim();
      expect(demoServe).toMatch(
        /^UNTP_CREDITS_ADMIN_KEY=\$\(cat admin\.key\) npx untp-credits serve --demo --no-seed\b/,
      );

      const tls = testCertificates();
      const [backend, front, demoPort] = [await freePort(), await freePort(), await freePort()];
      const proxy = tlsProxy(tls, backend);
      await new Promise<void>((resolve) => proxy.listen(front, '127.0.0.1', resolve));
      const behindTls = (text: string) => text.replaceAll('https://registry.example.org', `https://localhost:${front}`);
      const onLocalhost = (text: string) =>
        text.replaceAll('https://registry.example.org', `http://localhost:${demoPort}`);
      try {
        await Promise.all([
          walkthrough(
            userProjectIn('tls'),
            { server: behindTls(serverBlock), story: behindTls(story) },
            {
              PORT: String(backend),
              HOST: '127.0.0.1',
              CURL_CA_BUNDLE: tls.ca, // curl trusts the test CA
              NODE_EXTRA_CA_CERTS: tls.ca, // and so would any node process
            },
            `untp-credits serving https://localhost:${front}`,
          ),
          walkthrough(
            userProjectIn('demo'),
            { server: serverBlock.replace(SERVE_LINE, demoServe), story: onLocalhost(story) },
            { PORT: String(demoPort) },
            `untp-credits serving http://localhost:${demoPort}  (DEMO`,
          ),
        ]);
      } finally {
        proxy.close();
      }
    }, 240_000);
  },
);
