// Writes dist/offline-verifier/: the offline verifier as a static folder (src/server/offline/assets.ts).
// app.js bundles the page's script with the verifier (dist/server/offline/verify-inputs.js, which
// reaches only the browser-safe root entry's code) for the browser. Run by `npm run build` after tsc
// and embed-artefacts.mjs (the bundle inlines the contexts and schemas through package.json `browser`).
import { createHash } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'rolldown';

const OUT = 'dist/offline-verifier';
const assets = await import('../dist/server/offline/assets.js');
rmSync(OUT, { recursive: true, force: true });
mkdirSync(OUT, { recursive: true });
const entry = `${OUT}/.entry.mjs`;
writeFileSync(
  entry,
  `import { importTrust, verifyOffline } from '../server/offline/verify-inputs.js';\n${assets.OFFLINE_APP_SCRIPT}`,
);
const problems = [];
const output = await build({
  input: entry,
  platform: 'browser',
  write: false,
  output: { format: 'iife', minify: true },
  onLog: (level, log) => {
    if (level === 'warn') problems.push(`${log.code}: ${log.message}`);
  },
});
rmSync(entry);
if (problems.some((p) => /UNRESOLVED_IMPORT/.test(p))) {
  console.error(problems.join('\n'));
  process.exit(1);
}
const app = output.output[0].code;
const version = createHash('sha256').update(app).digest('hex').slice(0, 12);
writeFileSync(`${OUT}/app.js`, app);
writeFileSync(`${OUT}/index.html`, assets.renderOfflineVerifierPage());
writeFileSync(`${OUT}/manifest.webmanifest`, `${JSON.stringify(assets.OFFLINE_MANIFEST, null, 2)}\n`);
writeFileSync(`${OUT}/icon.svg`, assets.OFFLINE_ICON);
writeFileSync(`${OUT}/sw.js`, assets.serviceWorker(version));
console.log(`${OUT}/: app.js ${Math.round(app.length / 1024)} KiB, version ${version}`);
