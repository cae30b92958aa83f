/**
 * Import rules of src, checked by `npm run lint` (scripts/check-imports.mjs, which also refuses
 * cycles between the top-level folders of src). docs/architecture.md draws the layers they keep.
 * Type-only imports are erased at build: they do not make runtime cycles, but they still count for
 * the layer rules, with the few exceptions named below.
 */
const EDGES = '^src/(registry|server|cli|app)/';
/** The subpath entries (package.json exports) gather the layers, the registry and server ones included. */
const CORE = '^src/(?!registry/|server/|cli/|app/|entry/)';
const runtime = { dependencyTypesNot: ['type-only'] };

export default {
  forbidden: [
    {
      name: 'no-cycle',
      severity: 'error',
      comment: 'No runtime import cycle between files.',
      from: { path: '^src/' },
      to: { circular: true, ...runtime, viaOnly: runtime },
    },
    {
      name: 'lib-is-a-leaf',
      severity: 'error',
      comment:
        'src/lib holds generic helpers (digests, JSON pointers, envelopes): it imports nothing of src but errors.',
      from: { path: '^src/lib/' },
      to: { path: '^src/', pathNot: '^src/(lib/|errors\\.ts$)' },
    },
    {
      name: 'secure-below-verify',
      severity: 'error',
      comment: 'Securing (sign, decode, check a proof) must not import verification, validation or issuance.',
      from: { path: '^src/secure/' },
      to: { path: '^src/(verify/|validate/|issue\\.ts$)', pathNot: '^src/validate/report\\.ts$' },
    },
    {
      name: 'secure-below-verify-runtime',
      severity: 'error',
      comment: 'Only the finding type (Issue) of validate/report.ts may be imported by secure/, as a type.',
      from: { path: '^src/secure/' },
      to: { path: '^src/validate/report\\.ts$', ...runtime },
    },
    {
      name: 'core-below-edges',
      severity: 'error',
      comment: 'The core (all but registry, server, cli, app) must not import the registry, the server or the CLI.',
      from: { path: CORE, pathNot: '^src/(bundle/source|impact/ledger)\\.ts$' },
      to: { path: EDGES },
    },
    {
      name: 'core-below-edges-runtime',
      severity: 'error',
      comment: 'bundle/source.ts and impact/ledger.ts read the database through the Queryable type only.',
      from: { path: '^src/(bundle/source|impact/ledger)\\.ts$' },
      to: { path: EDGES, ...runtime },
    },
    {
      name: 'registry-below-transports',
      severity: 'error',
      comment: 'The registry (ledger) must not import the application layer, the server or the CLI.',
      from: { path: '^src/registry/' },
      to: { path: '^src/(server|cli|app)/' },
    },
    {
      name: 'app-below-transports',
      severity: 'error',
      comment: 'The application layer must not import a transport (server, CLI).',
      from: { path: '^src/app/' },
      to: { path: '^src/(server|cli)/' },
    },
    {
      name: 'server-below-cli',
      severity: 'error',
      comment: 'The server must not import the CLI.',
      from: { path: '^src/server/' },
      to: { path: '^src/cli/' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
