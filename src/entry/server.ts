/**
 * untp-credits/server — the HTTP server: VC-API, the registry API, did:web, status lists,
 * retirement statements and the web verifier; its identity, API keys and OpenAPI document (docs/server.md).
 */
export { createApp, createServerContext, type ServerContext, type ServerContextOptions } from '../server/app.js';
export { startServer, type StartServerOptions, type StartedServer } from '../server/start.js';
export { openServerDatabase, DEFAULT_DATA_DIR, type ServerDatabaseOptions } from '../server/bootstrap.js';
export { openLedger } from '../server/ledger.js';
export { RegistryService } from '../app/service.js';
export { COMMAND_SCHEMAS } from '../app/schemas.js';
export {
  ensureIdentity,
  loadIdentity,
  rotateSigningKey,
  type RegistryIdentity,
  type StoredKey,
  type EnsureIdentityOptions,
} from '../server/identity.js';
export {
  createApiKey,
  revokeApiKey,
  listApiKeys,
  hasScope,
  type Scope,
  type Principal,
  type CreatedApiKey,
} from '../server/auth.js';
export { openApiDocument } from '../server/openapi.js';
export {
  LEDGER_COMMANDS,
  type LedgerPort,
  type StatusListsPort,
  type LedgerCommand,
  type Page,
} from '../server/ports.js';
export { seedDemo } from '../server/demo.js';
