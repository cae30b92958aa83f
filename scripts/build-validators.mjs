// Build step (after tsc): writes the bundled schemas' validators as code (ajv standalone) to
// dist/validators, so `untp-credits validate` and `verify` do not compile every schema at start-up.
// The JSON schemas stay the source of truth: this reads them through the artefact registry and the
// same ajv configuration the run-time compiler uses (dist/artefacts/schemas.js), and the manifest
// pins the schema index it was generated from (a changed schema falls back to run-time compiling).
// test/artefacts/precompiled-schemas.test.ts checks both agree.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import standaloneModule from 'ajv/dist/standalone/index.js';
import { ArtefactRegistry } from '../dist/artefacts/registry.js';
import { addRegistrySchemas, configuredAjv } from '../dist/artefacts/schemas.js';
import { MANIFEST_FILE, schemasIndexDigest } from '../dist/artefacts/precompiled-schemas.js';

const standaloneCode = standaloneModule.default ?? standaloneModule;
const out = fileURLToPath(new URL('../dist/validators/', import.meta.url));
// The generated code builds `pattern` RegExps as the run-time compiler does (search-equivalent).
const regExpCode = 'require("../artefacts/search-regexp.js").searchRegExp';

const registry = ArtefactRegistry.bundled();
const ajvs = { all: configuredAjv(true, { regExpCode }), verdict: configuredAjv(false, { regExpCode }) };
for (const ajv of Object.values(ajvs)) addRegistrySchemas(ajv, registry);

rmSync(out, { recursive: true, force: true });
mkdirSync(out, { recursive: true });
const validators = {};
registry.urls('schema').forEach((url, i) => {
  validators[url] = {};
  for (const [variant, ajv] of Object.entries(ajvs)) {
    const file = `${String(i).padStart(2, '0')}-${variant}.cjs`;
    writeFileSync(
      `${out}${file}`,
      `// Generated from ${url}; do not edit.\n${standaloneCode(ajv, { validate: url })}\n`,
    );
    validators[url][variant] = file;
  }
});
writeFileSync(
  `${out}${MANIFEST_FILE}`,
  JSON.stringify({ schemasIndexSha256: schemasIndexDigest(), validators }, null, 2) + '\n',
);
console.log(`build-validators: ${Object.keys(validators).length} schemas → dist/validators`);
