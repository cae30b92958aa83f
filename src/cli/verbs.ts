import type { Command } from 'commander';

/** Adds one verb (a command, with its sub-commands) to the program. */
export type RegisterVerb = (program: Command) => void;

/**
 * Every verb of the CLI, by the name typed after `untp-credits`, in the order `--help` lists them.
 * Each verb lives in its own file and is imported only when it runs: a verb pulls in its own
 * dependencies (ajv and the schemas, the ledger, express, …), so `untp-credits validate` does not
 * pay for the server. To add a verb, add one line (the key is the command's name; a test checks
 * that each loader registers exactly the command it is listed under):
 *
 *   mine: async () => (await import('./mine.js')).registerMine,
 */
export const VERBS: Record<string, () => Promise<RegisterVerb>> = {
  validate: async () => (await import('./validate.js')).registerValidate,
  digest: async () => (await import('./digest.js')).registerDigest,
  registry: async () => (await import('./registry.js')).registerRegistry,
  keys: async () => (await import('./keys.js')).registerKeys,
  sign: async () => (await import('./sign.js')).registerSign,
  verify: async () => (await import('./verify.js')).registerVerify,
  serve: async () => (await import('./serve.js')).registerServe,
  init: async () => (await import('./init.js')).registerInit,
  apikey: async () => (await import('./apikey.js')).registerApiKey,
  account: async () => (await import('./account.js')).registerAccount,
  issue: async () => (await import('./issue.js')).registerIssue,
  transfer: async () => (await import('./transfer.js')).registerTransfer,
  retire: async () => (await import('./retire.js')).registerRetire,
  amend: async () => (await import('./amend.js')).registerAmend,
  suspend: async () => (await import('./suspend.js')).registerSuspend,
  unsuspend: async () => (await import('./unsuspend.js')).registerUnsuspend,
  cancel: async () => (await import('./cancel.js')).registerCancel,
  invalidate: async () => (await import('./invalidate.js')).registerInvalidate,
  correct: async () => (await import('./correct.js')).registerCorrect,
  lookup: async () => (await import('./lookup.js')).registerLookup,
  status: async () => (await import('./status.js')).registerStatus,
  invariants: async () => (await import('./invariants.js')).registerInvariants,
  bundle: async () => (await import('./bundle.js')).registerBundle,
  demo: async () => (await import('./demo.js')).registerDemo,
  disclose: async () => (await import('./disclose.js')).registerDisclose,
  footprint: async () => (await import('./footprint.js')).registerFootprint,
  impact: async () => (await import('./impact.js')).registerImpact,
  codes: async () => (await import('./codes.js')).registerCodes,
  log: async () => (await import('./log.js')).registerLog,
  trust: async () => (await import('./trust.js')).registerTrust,
};

/**
 * The verbs to load for one command line: only the one named first, or all of them when none is
 * (`--help`, `--version`, `help <verb>`, a mistyped verb), so help and suggestions list every verb.
 */
export async function loadVerbs(argv: readonly string[]): Promise<RegisterVerb[]> {
  const named = argv[2];
  const loaders = named !== undefined && Object.hasOwn(VERBS, named) ? [VERBS[named]!] : Object.values(VERBS);
  return Promise.all(loaders.map((load) => load()));
}
