/**
 * The error catalogue: every code the toolkit throws or reports, declared once with its HTTP
 * status (problem+json), its CLI exit code, a title and a one-line meaning. The server, the CLI,
 * the OpenAPI document, `untp-credits codes` and docs/errors.md all read this table; a code that
 * is not declared here does not type-check (`ErrorCode`).
 *
 * This module imports nothing, so every layer (core, registry, server, CLI) can use it.
 *
 * Exit codes: 1 a check failed or the registry refused the command; 2 the verb could not run —
 * a usage error, input that cannot be read as what it should be (malformed JSON, JWS, digest, date,
 * key or CSV; a field of the wrong shape), missing or refused credentials (401 and 403 alike), an
 * unreachable, locked or closing registry, a server-side failure.
 */

/** The HTTP statuses a problem can carry. */
export type ProblemStatus = 400 | 401 | 403 | 404 | 409 | 413 | 415 | 422 | 429 | 500 | 503;
/** 1: a check failed or the registry said no. 2: the verb could not run. */
export type ErrorExit = 1 | 2;

export interface CatalogueEntry {
  readonly http: ProblemStatus;
  readonly exit: ErrorExit;
  /** Short, stable: the problem+json `title`. */
  readonly title: string;
  /** One line: what happened and, where useful, what to do. */
  readonly meaning: string;
}

type Section = Record<string, CatalogueEntry>;
const c = (http: ProblemStatus, exit: ErrorExit, title: string, meaning: string): CatalogueEntry => ({
  http,
  exit,
  title,
  meaning,
});

// prettier-ignore
const REQUESTS = {
  REQUEST_INVALID: c(400, 2, 'Invalid request', 'The request (or a CLI flag or argument) is malformed.'),
  JSON_MALFORMED: c(400, 2, 'Body is not JSON', 'The request body does not parse as JSON.'),
  JSON_TOO_DEEP: c(400, 2, 'JSON nested too deep', 'The request body nests deeper than the server accepts.'),
  FORMAT_UNSUPPORTED: c(400, 2, 'Format not supported', 'The securing format asked for is not one the toolkit issues.'),
  BODY_TOO_LARGE: c(413, 2, 'Body too large', 'The request body is larger than the server accepts.'),
  CONTENT_TYPE_UNSUPPORTED: c(415, 2, 'Content type not supported', 'Send the body as application/json.'),
  NOT_FOUND: c(404, 1, 'Not found', 'No route or document at this address.'),
  CONFLICT: c(409, 1, 'Conflict', 'The database refused the change (a concurrent change won); retry.'),
  UNAUTHENTICATED: c(401, 2, 'Authentication required', 'No API key, or one the registry does not know.'),
  FORBIDDEN: c(403, 2, 'Scope missing', 'The API key lacks the scope this request needs.'),
  API_KEY_MISSING: c(401, 2, 'API key missing', 'Set UNTP_CREDITS_API_KEY to a key with the scope the command needs.'),
  API_KEY_NOT_FOUND: c(404, 1, 'API key not found', 'No active API key with this id.'),
  SCOPE_INVALID: c(422, 2, 'Scope invalid', 'A scope is not issuer, admin or holder:<accountId>.'),
  TOO_MANY_FAILED_ATTEMPTS: c(429, 2, 'Too many failed attempts', 'Too many failed authentications from this client; retry later.'),
  IDEMPOTENCY_KEY_INVALID: c(422, 1, 'Idempotency key invalid', 'Every command needs an idempotency key of 1–200 characters.'),
  IDEMPOTENCY_KEY_REUSED: c(422, 1, 'Idempotency key reused', 'This idempotency key was already used for a different request or command.'),
  IDEMPOTENCY_IN_PROGRESS: c(409, 1, 'Request in progress', 'A request with this idempotency key is still running; retry after Retry-After.'),
  OPTION_INVALID: c(422, 2, 'Option invalid', 'A configuration option has a value out of its range.'),
  INTERNAL_ERROR: c(500, 2, 'Internal error', 'An unexpected failure; nothing was changed by it.'),
  LEDGER_UNAVAILABLE: c(503, 2, 'Ledger unavailable', 'This server runs without the registry ledger.'),
  STATUS_LISTS_UNAVAILABLE: c(503, 2, 'Status lists unavailable', 'This server cannot allocate credential status entries.'),
  OFFLINE_VERIFIER_NOT_BUILT: c(503, 2, 'Offline verifier not built', 'dist/offline-verifier/ is missing: run npm run build.'),
  RUNTIME_UNSUPPORTED: c(500, 2, 'Needs Node.js', 'This feature reads files or opens connections, which only the Node.js build can do (not a browser bundle).'),
  SERVER_STARTING: c(503, 2, 'Server starting', 'The server is still starting; retry after Retry-After.'),
  PORT_IN_USE: c(503, 2, 'Port in use', 'Another process listens on the port: stop it, or choose another with --port.'),
  PORT_NOT_PERMITTED: c(503, 2, 'Port not permitted', 'This user may not listen on the port: choose one above 1023.'),
  HOST_NOT_AVAILABLE: c(503, 2, 'Host not available', 'The --host address is not an address of this machine.'),
  // Refusals a status-list service plugged into the server (StatusListsPort.update) may give.
  STATUS_PURPOSE_UNSUPPORTED: c(422, 1, 'Status purpose not supported', 'The status service does not manage this status purpose.'),
  ISSUER_RESERVED: c(422, 1, 'Issuer reserved', 'POST /credentials/issue never signs as the registry DID: only ledger commands sign as it.'),
  CREDIT_CREDENTIAL_REFUSED: c(422, 1, 'Credit credential refused', 'POST /credentials/issue does not issue credentials with the untp-credits contexts or credit terms: ledger commands do.'),
  STATUS_IRREVERSIBLE: c(409, 1, 'Status irreversible', 'A revocation cannot be cleared; only a suspension can.'),
  REGISTRY_UNREACHABLE: c(422, 2, 'Registry unreachable', 'The registry server at --registry did not answer.'),
  REGISTRY_URL_INVALID: c(422, 2, 'Registry URL invalid', 'The --registry value is not a URL.'),
  REGISTRY_ERROR: c(422, 1, 'Registry error', 'The registry refused the request without a problem code.'),
} satisfies Section;

// prettier-ignore
const STORAGE = {
  DATABASE_UNAVAILABLE: c(503, 2, 'Database unavailable', 'PostgreSQL cannot be reached at the configured URL.'),
  REGISTRY_LOCKED: c(503, 2, 'Registry locked', 'Another process holds the PGlite data directory; stop it or use --registry.'),
  REGISTRY_CLOSING: c(503, 2, 'Registry closing', 'The registry database is shutting down and admits no new work.'),
  REGISTRY_DATA_DAMAGED: c(500, 2, 'Registry data damaged', 'The data directory cannot be opened; restore it from a backup.'),
  REGISTRY_SCHEMA_TOO_NEW: c(422, 2, 'Registry schema too new', 'The database was migrated by a newer release than this one.'),
  SCHEMA_NAME_INVALID: c(422, 2, 'Schema name invalid', 'The PostgreSQL schema name has characters that are not allowed.'),
  IDENTITY_MISSING: c(409, 2, 'Registry identity missing', 'The database holds no registry identity yet: run untp-credits init.'),
  IDENTITY_MISMATCH: c(422, 1, 'Registry identity mismatch', 'The database belongs to another DID or public URL than the one given.'),
  PUBLIC_URL_REQUIRED: c(422, 2, 'PUBLIC_URL required', 'Set PUBLIC_URL (or ISSUER_DID): ids and the DID are permanent once signed.'),
  PUBLIC_URL_INVALID: c(422, 2, 'PUBLIC_URL invalid', 'PUBLIC_URL is not an https URL (plain http is for demo mode only).'),
  SIGNER_REQUIRED: c(422, 2, 'Signer required', 'A registry needs a signer (or a signing step) for its credentials.'),
  SIGNING_FAILED: c(500, 2, 'Signing failed', 'The signing step did not return an enveloped credential.'),
  SIGNING_KEY_UNAVAILABLE: c(500, 2, 'Signing key unavailable', 'The registry identity has no active signing key.'),
  STATUS_LIST_UNAVAILABLE: c(503, 2, 'Status list unavailable', 'The registry could not open a status list to allocate from.'),
  BACKUP_FAILED: c(422, 2, 'Backup failed', 'pg_dump (or the PGlite dump) failed; no backup was written.'),
  RESTORE_FAILED: c(422, 2, 'Restore failed', 'pg_restore (or the PGlite load) failed.'),
  RESTORE_TARGET_NOT_EMPTY: c(422, 2, 'Restore target not empty', 'Restore into a new, empty data directory.'),
} satisfies Section;

// prettier-ignore
const LEDGER = {
  ID_INVALID: c(422, 1, 'Id invalid', 'An id does not match the registry id pattern.'),
  ALREADY_EXISTS: c(409, 1, 'Already exists', 'A concurrent command created the same record first; retry to see it.'),
  LEDGER_RULE_VIOLATION: c(409, 1, 'Ledger rule violated', 'A database rule of the ledger refused the change.'),
  CONCURRENT_MODIFICATION: c(409, 1, 'Concurrent modification', 'A block changed while the command ran; retry.'),
  ACCOUNT_EXISTS: c(409, 1, 'Account exists', 'An account with this id is already open.'),
  ACCOUNT_NOT_FOUND: c(404, 1, 'Account not found', 'No account with this id.'),
  ACCOUNT_REQUIRED: c(422, 1, 'Account required', 'The command names no account.'),
  HOLDER_REQUIRED: c(422, 1, 'Holder required', 'An account names its holder (id and name).'),
  ISSUANCE_EXISTS: c(409, 1, 'Issuance exists', 'An issuance with this id was already made.'),
  ISSUANCE_NOT_FOUND: c(404, 1, 'Issuance not found', 'No issuance with this id.'),
  ISSUANCE_REQUIRED: c(422, 1, 'Issuance required', 'A block selected by quantity names its issuanceId.'),
  ISSUANCE_EXCEEDS_CAP: c(422, 1, 'Issuance exceeds cap', "One issuance carries more credits than the registry's maxIssuanceQuantity."),
  TOTAL_OUT_OF_RANGE: c(422, 1, 'Total out of range', 'All issuances together would pass 2^53−1, beyond which totals are not exact JSON numbers.'),
  SERIALS_OVERLAP: c(409, 1, 'Serials overlap', 'The serial block overlaps serials of an earlier issuance.'),
  RECORD_NOT_FOUND: c(404, 1, 'Record not found', 'No retirement or issuance with this id.'),
  SERIAL_NOT_FOUND: c(404, 1, 'Serial not found', 'No issued block holds this serial.'),
  CREDENTIAL_NOT_FOUND: c(404, 1, 'Credential not found', 'This registry issued no credential with this id.'),
  RETIREMENT_EXISTS: c(409, 1, 'Retirement exists', 'A retirement with this id was already made.'),
  RETIREMENT_NOT_FOUND: c(404, 1, 'Retirement not found', 'No retirement with this id (in this registry).'),
  RETIREMENT_INVALIDATED: c(409, 1, 'Retirement invalidated', 'The retirement was invalidated; it cannot be amended.'),
  RETIREMENT_REPLACED: c(409, 1, 'Retirement replaced', 'The retirement was amended; act on the current one.'),
  BLOCKS_REQUIRED: c(422, 1, 'Blocks required', 'Give a non-empty list of { issuanceId, quantity } or { serialBlock }.'),
  BLOCK_SELECTOR_INVALID: c(409, 1, 'Block selector invalid', 'Each block is { issuanceId, quantity } or { serialBlock }.'),
  BLOCK_CANCELLED: c(409, 1, 'Block cancelled', 'The units are cancelled.'),
  BLOCK_RETIRED: c(409, 1, 'Block retired', 'The units are retired; retired units never change again.'),
  BLOCK_INVALIDATED: c(409, 1, 'Block invalidated', 'The units belong to an invalidated retirement.'),
  BLOCK_SUSPENDED: c(409, 1, 'Block suspended', 'The units are suspended; disputed units cannot move or retire.'),
  BLOCK_NOT_SUSPENDED: c(409, 1, 'Block not suspended', 'Only suspended units can be unsuspended.'),
  RANGES_REQUIRED: c(422, 1, 'Ranges required', 'Give at least one serial range.'),
  RANGE_NOT_HELD: c(409, 1, 'Range not held', 'The account does not hold these serials.'),
  INSUFFICIENT_HOLDING: c(409, 1, 'Insufficient holding', 'The account holds fewer eligible units than asked for.'),
  NOTHING_TO_MOVE: c(409, 1, 'Nothing to move', 'No units match: the holding is empty in the required state.'),
  SAME_ACCOUNT: c(422, 1, 'Same account', 'A transfer goes from one account to another.'),
  SELECTION_REQUIRED: c(422, 1, 'Selection required', 'Give a quantity or explicit serial ranges.'),
  SELECTION_AMBIGUOUS: c(422, 1, 'Selection ambiguous', 'Give either a quantity or ranges, not both.'),
  REASON_REQUIRED: c(422, 1, 'Reason required', 'This command needs a reason.'),
  DETAILS_REQUIRED: c(422, 1, 'Details required', 'An amendment carries its details as an object.'),
  CORRECTION_NOT_CONTIGUOUS: c(422, 1, 'Correction not contiguous', 'The unretired units form several ranges; cancel and issue separately.'),
  CORRECTION_SEVERAL_HOLDERS: c(422, 1, 'Correction spans holders', 'The unretired units sit with several holders; cancel and issue separately.'),
  STATUS_MANAGED_BY_LEDGER: c(409, 1, 'Status managed by the ledger', 'Revoke a credit credential through the ledger commands, not the status API.'),
  SITE_NOT_FOUND: c(404, 1, 'Site not found', 'No production site with this id.'),
  ALLOCATION_NOT_FOUND: c(404, 1, 'Allocation not found', 'No premium allocation report with this id.'),
} satisfies Section;

// prettier-ignore
const INVARIANTS = {
  CONSERVATION_BROKEN: c(422, 1, 'Conservation broken', 'Tradable + suspended + retired + cancelled + invalidated ≠ issued.'),
  BLOCK_OUTSIDE_ISSUANCE: c(409, 1, 'Block outside issuance', 'A live block lies outside the serial range of its issuance.'),
  CREDENTIAL_BLOCKS_MISMATCH: c(422, 1, 'Credential blocks mismatch', 'A stored credential lists other serial blocks than the ledger.'),
  CREDENTIAL_DIGEST_MISMATCH: c(422, 1, 'Credential digest mismatch', 'A stored digest is not the digest of its JWS.'),
  CREDENTIAL_ID_MISMATCH: c(422, 1, 'Credential id mismatch', 'A stored JWS names another credential id.'),
  CREDENTIAL_ORPHAN: c(422, 1, 'Orphan credential', 'A stored credential belongs to no ledger record.'),
  CREDENTIAL_STATUS_MISMATCH: c(422, 1, 'Credential status mismatch', "A credential's credentialStatus is not its allocation."),
  CREDENTIAL_UNREADABLE: c(422, 1, 'Credential unreadable', 'A stored credential cannot be decoded.'),
  INVALIDATION_MISMATCH: c(422, 1, 'Invalidation mismatch', 'Invalidated blocks and the invalidation record disagree.'),
  RETIREMENT_QUANTITY_MISMATCH: c(422, 1, 'Retirement quantity mismatch', 'A retirement states another quantity than the ledger holds.'),
  REVOCATION_MISMATCH: c(422, 1, 'Revocation mismatch', "The ledger's revocation and the status bit disagree."),
  STATUS_ALLOCATION_MISMATCH: c(422, 1, 'Status allocation mismatch', "A status list's allocation count differs from its allocations."),
  STATUS_LIST_STALE: c(422, 1, 'Status list stale', "The published status list differs from the ledger's bits."),
  STATUS_LIST_UNREADABLE: c(422, 1, 'Status list unreadable', 'A stored status list cannot be decoded.'),
} satisfies Section;

// prettier-ignore
const BUILDING = {
  INPUT_INVALID: c(422, 2, 'Input invalid', 'The input is not the kind of value the function takes.'),
  MISSING_FIELD: c(422, 2, 'Field missing', 'A required field is missing (the path names it).'),
  INVALID_FIELD: c(422, 2, 'Field invalid', 'A field has a value of the wrong shape (the path names it).'),
  INVALID_DATE: c(422, 2, 'Date invalid', 'A date is not a date, or is out of order with another.'),
  PERIOD_INVERTED: c(422, 1, 'Period inverted', 'A period ends before it starts.'),
  QUANTITY_NOT_POSITIVE: c(422, 1, 'Quantity not positive', 'A quantity must be a positive number.'),
  QUANTITY_MISMATCH: c(422, 1, 'Quantity mismatch', 'A serial block quantity is not end − start + 1.'),
  QUANTITY_EXCEEDS_BLOCK: c(422, 1, 'Quantity exceeds block', 'More units are asked of a block than it holds.'),
  SERIAL_BLOCK_INVALID: c(422, 1, 'Serial block invalid', 'A serial block is { prefix, start, end, quantity }.'),
  SERIAL_PREFIX_INVALID: c(422, 1, 'Serial prefix invalid', 'A serial block needs a non-empty prefix.'),
  SERIAL_NOT_INTEGER: c(422, 1, 'Serial not an integer', 'A serial number must be an integer.'),
  SERIAL_OUT_OF_RANGE: c(422, 1, 'Serial out of range', 'A serial number or total lies outside 0..2^53−1.'),
  SERIAL_RANGE_INVERTED: c(422, 1, 'Serial range inverted', 'A serial range ends before it starts.'),
  BLOCKS_OVERLAP: c(422, 1, 'Blocks overlap', 'Two serial blocks of one credential overlap.'),
  RANGE_OUTSIDE_BLOCK: c(422, 1, 'Range outside block', 'A serial range is not within its block.'),
  UNITS_MIXED: c(422, 1, 'Units mixed', 'All retired blocks must share one credit unit.'),
  UNIT_UNSUPPORTED: c(422, 2, 'Unit not supported', 'The unit is not a UN/ECE Rec 20 mass code of the one mass-unit table.'),
  STATUS_INDEX_INVALID: c(422, 1, 'Status index invalid', 'statusListIndex must be a non-negative integer.'),
  DIGEST_INVALID: c(422, 2, 'Digest invalid', 'A digest is not a z… or u… multibase digest.'),
  DIGEST_MISMATCH: c(422, 1, 'Digest mismatch', 'A cited digest is not the digest of the document it cites.'),
  CLAIM_EXCEEDS_RETIRED: c(422, 1, 'Claim exceeds retirement', 'The claim covers more than was retired.'),
  CLAIM_PERIOD_INVERTED: c(422, 1, 'Claim period inverted', 'The claim period ends before it starts.'),
  COVERED_PRODUCTS_MISSING: c(422, 1, 'Covered products missing', 'A product claim lists the products or product lines it covers.'),
  BENEFICIARY_MISSING: c(422, 1, 'Beneficiary missing', 'A retirement names its beneficiary (or commits to it).'),
  BENEFICIARY_CONFLICT: c(409, 1, 'Beneficiary given twice', 'Give the beneficiary or a withheldBeneficiary commitment, not both.'),
  CONFIDENTIAL_DATA_REFUSED: c(422, 1, 'Confidential data refused', 'A confidential document is cited by type and digest only.'),
  PERSONAL_DATA_REFUSED: c(422, 1, 'Personal data refused', 'The input carries personal data (e-mail, phone) that is never published.'),
  COMMITMENT_METHOD_UNSUPPORTED: c(422, 1, 'Commitment method not supported', 'A withheld field uses a commitment method the toolkit does not know.'),
  SALT_TOO_SHORT: c(422, 1, 'Salt too short', 'A commitment salt carries at least 128 bits.'),
  CREDENTIAL_INVALID: c(422, 1, 'Credential invalid', 'The credential does not validate, so it is not issued.'),
  CREDENTIAL_ALREADY_SECURED: c(422, 2, 'Credential already secured', 'The credential already has a proof or is enveloped.'),
  ISSUER_KEY_MISMATCH: c(422, 1, 'Issuer key mismatch', "The signing key is not a key of the credential's issuer."),
  HOLDER_KEY_MISMATCH: c(422, 1, 'Holder key mismatch', "The signing key is not a key of the presentation's holder."),
  PRESENTATION_INVALID: c(422, 1, 'Presentation invalid', 'The presentation cannot be signed as given.'),
  KEY_ALGORITHM_MISMATCH: c(422, 2, 'Key algorithm mismatch', 'The cryptosuite cannot sign with this kind of key.'),
  PROOF_EXISTS: c(409, 1, 'Proof exists', 'The document already carries a proof (proof sets are not supported).'),
  DPP_INVALID: c(422, 2, 'Passport invalid', 'Not a DigitalProductPassport with a credentialSubject.'),
  PRODUCT_NOT_COVERED: c(422, 1, 'Product not covered', 'The product is not an assessed product of the retirement.'),
} satisfies Section;

// prettier-ignore
const SECURING = {
  JWS_MALFORMED: c(422, 2, 'JWS malformed', 'Not a compact JWS of three base64url parts.'),
  JWS_INVALID: c(422, 2, 'JWS invalid', 'Not a compact JWS with a JSON payload.'),
  JWS_NOT_FOUND: c(404, 2, 'JWS not found', 'The value is not a compact JWS or an enveloped credential.'),
  JWS_HEADER_INVALID: c(422, 1, 'JWS header invalid', 'The protected header is not a JSON object.'),
  JWS_PAYLOAD_INVALID: c(422, 1, 'JWS payload invalid', 'The payload is not a JSON object.'),
  JWS_BASE64URL_NONCANONICAL: c(422, 1, 'Non-canonical base64url', 'A JWS part sets unused trailing bits (one JWS, two encodings).'),
  INPUT_TOO_DEEP: c(422, 1, 'Input nested too deep', 'The JWS header or payload nests deeper than allowed.'),
  JOSE_ALG_UNSUPPORTED: c(422, 1, 'Algorithm not allowed', 'The JWS alg is not one of the allowed algorithms.'),
  JOSE_ALG_REFUSED: c(422, 1, 'Algorithm refused', 'The manifest alg is not one of the allowed algorithms.'),
  JOSE_TYP_INVALID: c(422, 1, 'typ invalid', 'The JWS typ is not vc+jwt (or vp+jwt).'),
  JOSE_CTY_INVALID: c(422, 1, 'cty invalid', 'The JWS cty, when present, must be vc (or vp).'),
  JOSE_KID_MISSING: c(422, 1, 'kid missing', 'The JWS header has no kid.'),
  JOSE_CRIT_UNSUPPORTED: c(422, 1, 'crit not supported', 'crit and b64 header parameters are not supported.'),
  PROOF_MISSING: c(422, 1, 'Proof missing', 'The document carries no proof.'),
  PROOF_INVALID: c(422, 1, 'Proof invalid', 'The proof is not a well-formed Data Integrity proof.'),
  PROOF_CHAIN_BROKEN: c(422, 1, 'Proof chain broken', 'A previousProof names no proof of the set, or proof ids repeat.'),
  PROOF_NOT_BY_ISSUER: c(422, 1, 'No proof by the issuer', 'A proof set has no valid proof by a key of the issuer (holder), or a credit credential carries a proof by another party.'),
  PROOF_TYPE_UNSUPPORTED: c(422, 1, 'Proof type not supported', 'The proof type is not DataIntegrityProof.'),
  PROOF_PURPOSE_MISMATCH: c(422, 1, 'Proof purpose mismatch', 'The proofPurpose is not the one expected.'),
  PROOF_EXPIRED: c(422, 1, 'Proof expired', 'The proof is past its expires date.'),
  PROOF_VALUE_INVALID: c(422, 1, 'Proof value invalid', 'proofValue must be a base58btc multibase string.'),
  PROOF_CANONICALIZATION_FAILED: c(422, 1, 'Canonicalization failed', 'The document cannot be canonicalized (RDFC-1.0).'),
  CRYPTOSUITE_UNSUPPORTED: c(422, 1, 'Cryptosuite not supported', 'The cryptosuite is not eddsa-rdfc-2022 or ecdsa-rdfc-2019.'),
  SIGNATURE_INVALID: c(422, 1, 'Signature invalid', 'The signature does not verify with the key.'),
  SD_JWT_INVALID: c(422, 1, 'SD-JWT invalid', 'Not an SD-JWT or an enveloped SD-JWT credential.'),
  SD_JWT_MALFORMED: c(422, 1, 'SD-JWT malformed', 'An SD-JWT is a JWS, disclosures and a key-binding JWT joined by ~.'),
  SD_ALG_UNSUPPORTED: c(422, 1, '_sd_alg not supported', 'Only sha-256 disclosure digests are supported.'),
  SD_DISCLOSURE_MALFORMED: c(422, 1, 'Disclosure malformed', 'A disclosure is not a valid SD-JWT disclosure.'),
  SD_DISCLOSURE_DUPLICATE: c(422, 1, 'Disclosure duplicate', 'A disclosure is given twice.'),
  SD_DISCLOSURE_UNREFERENCED: c(422, 1, 'Disclosure unreferenced', 'A disclosure is not referenced by the credential: altered or foreign.'),
  SD_DIGEST_DUPLICATE: c(422, 1, 'Digest duplicate', 'A disclosure digest appears twice in the credential.'),
  SD_CLAIM_CONFLICT: c(409, 1, 'Disclosed claim collides', 'A disclosed member collides with a clear one.'),
  SD_RESERVED_MEMBER: c(422, 1, 'Reserved member', 'cnf, _sd and _sd_alg are set by the SD-JWT securing.'),
  SD_NOT_ALLOWED: c(422, 2, 'Selective disclosure not allowed', 'This member must stay in clear in an SD-JWT credential.'),
  SD_POINTER_INVALID: c(422, 2, 'Pointer invalid', 'A selectively disclosable path is not a JSON pointer.'),
  SD_POINTER_UNKNOWN: c(404, 2, 'Pointer unknown', 'The credential has nothing at the pointer.'),
  SD_JWT_KB_MISSING: c(422, 1, 'Key binding missing', 'The credential is bound to a holder key but no key-binding JWT is given.'),
  SD_JWT_KB_UNEXPECTED: c(422, 1, 'Key binding unexpected', 'A key-binding JWT is given but the credential names no holder key.'),
  SD_JWT_KB_INVALID: c(422, 1, 'Key binding invalid', 'The key-binding JWT has the wrong typ or alg.'),
  SD_JWT_KB_SIGNATURE_INVALID: c(422, 1, 'Key binding signature invalid', 'The key-binding JWT is not signed by the holder key.'),
  SD_JWT_KB_NONCE_MISMATCH: c(422, 1, 'Key binding nonce mismatch', "The key-binding JWT answers another nonce: replayed."),
  SD_JWT_KB_AUDIENCE_MISMATCH: c(422, 1, 'Key binding audience mismatch', 'The key-binding JWT is for another audience.'),
  SD_JWT_KB_EXPIRED: c(422, 1, 'Key binding expired', 'The key-binding JWT was made outside the accepted window.'),
  SD_JWT_KB_SD_HASH_MISMATCH: c(422, 1, 'Key binding sd_hash mismatch', 'The key-binding JWT was made for another presentation.'),
} satisfies Section;

// prettier-ignore
const KEYS = {
  KEY_INVALID: c(422, 2, 'Key invalid', 'The key is not a usable JWK or multikey.'),
  KEY_FILE_UNREADABLE: c(422, 2, 'Key file unreadable', 'The key file cannot be read or is not a JWK.'),
  KEY_TYPE_UNSUPPORTED: c(422, 2, 'Key type not supported', 'The algorithm is not EdDSA, ES256 or ES384.'),
  KEY_ID_INVALID: c(422, 2, 'Key id invalid', 'The key id is not a DID URL with a fragment.'),
  KEY_NOT_FOUND: c(404, 2, 'Key not found', 'The key is not a verification method of the DID.'),
  KEY_ISSUER_MISMATCH: c(422, 1, 'Key issuer mismatch', "The key does not belong to the document's issuer (or holder) DID."),
  KEY_NOT_IN_ASSERTION_METHOD: c(422, 1, 'Key not in assertionMethod', 'The key is not (or no longer) listed under assertionMethod.'),
  KEY_NOT_IN_AUTHENTICATION: c(422, 1, 'Key not in authentication', 'The key is not (or no longer) listed under authentication.'),
  DID_INVALID: c(422, 2, 'DID invalid', 'The value is not a DID of a supported form.'),
  DID_METHOD_UNSUPPORTED: c(422, 1, 'DID method not supported', 'Only did:key and did:web are supported.'),
  DID_NOT_FOUND: c(404, 1, 'DID not found', 'No DID document for the DID is held locally (give --did-doc, or allow HTTPS).'),
  DID_DOCUMENT_INVALID: c(422, 2, 'DID document invalid', 'The DID document is not a valid DID document for the DID.'),
  DID_DOCUMENT_UNREADABLE: c(422, 2, 'DID document unreadable', 'The DID document file cannot be read.'),
  DID_DOCUMENT_TOO_LARGE: c(422, 1, 'DID document too large', 'The fetched DID document is larger than allowed.'),
  DID_RESOLUTION_FAILED: c(422, 1, 'DID resolution failed', 'The DID document could not be fetched or read.'),
  DID_RESOLUTION_TIMEOUT: c(422, 1, 'DID resolution timed out', 'Fetching the DID document took too long.'),
  DID_WEB_ADDRESS_REFUSED: c(422, 1, 'did:web address refused', 'The did:web host resolves to a non-public address.'),
  DID_WEB_HOST_NOT_ALLOWED: c(422, 1, 'did:web host not allowed', 'The did:web host is not on the allow-list.'),
  DID_WEB_REDIRECT_REFUSED: c(422, 1, 'did:web redirect refused', 'Fetching the DID document was redirected.'),
  TRUST_FILE_INVALID: c(422, 2, 'Trust file invalid', 'The trust file is not { did, keys?, didDocumentDigest? } entries.'),
  TRUST_FILE_UNREADABLE: c(422, 2, 'Trust file unreadable', 'The trust file cannot be read or is not JSON.'),
  UNTRUSTED_KEY: c(422, 1, 'Untrusted key', 'A signing key is not pinned by the trust file.'),
  TRUST_NOT_PINNED: c(422, 1, 'No pinned trust', "The bundle's keys come only from DID documents it carries: pin trust (--trust, --did-dir, --did-doc), or accept it as a warning with --allow-untrusted."),
  ISSUER_IDENTITY_NOT_ESTABLISHED: c(422, 1, 'No issuer identity', 'Signed by a did:key: the signature proves that key signed, not who holds it (a warning).'),
  ANCHOR_INVALID: c(422, 1, 'Anchor invalid', 'An identity anchor credential does not verify.'),
  ANCHOR_NOT_DIA: c(422, 1, 'Anchor not a DIA', 'The anchor is not a DigitalIdentityAnchor naming a DID.'),
  ANCHOR_ROOT_UNTRUSTED: c(422, 1, 'Anchor root untrusted', 'The anchor is signed by a root the trust file does not pin.'),
  JSON_NOT_CANONICALIZABLE: c(422, 1, 'JSON not canonicalizable', 'Non-finite numbers have no canonical JSON form.'),
} satisfies Section;

// prettier-ignore
const FETCHING = {
  FETCH_URL_REFUSED: c(422, 2, 'URL refused', 'Only https URLs without credentials are fetched (http for loopback only).'),
  FETCH_HOST_NOT_ALLOWED: c(422, 2, 'Host not allowed', 'The host is not on the allow-list.'),
  FETCH_ADDRESS_REFUSED: c(422, 2, 'Address refused', 'The host resolves to a non-public address.'),
  FETCH_REDIRECT_REFUSED: c(422, 2, 'Redirect refused', 'The fetch was redirected.'),
  FETCH_FAILED: c(422, 2, 'Fetch failed', 'The fetch failed or answered an error status.'),
  FETCH_TOO_LARGE: c(422, 2, 'Response too large', 'The response is larger than allowed.'),
  FETCH_TIMEOUT: c(422, 2, 'Fetch timed out', 'The fetch took too long.'),
  STATUS_LIST_URL_REFUSED: c(422, 1, 'Status list URL refused', 'Only https status-list URLs are fetched.'),
  STATUS_LIST_HOST_NOT_ALLOWED: c(422, 1, 'Status list host not allowed', 'The status-list host is not on the allow-list.'),
  STATUS_LIST_ADDRESS_REFUSED: c(422, 1, 'Status list address refused', 'The status-list host resolves to a non-public address.'),
  STATUS_LIST_REDIRECT_REFUSED: c(422, 1, 'Status list redirect refused', 'Fetching the status list was redirected.'),
  STATUS_LIST_FETCH_FAILED: c(422, 1, 'Status list fetch failed', 'The status list could not be fetched.'),
  STATUS_LIST_TOO_LARGE: c(422, 1, 'Status list too large', 'The status list is larger than allowed.'),
  STATUS_LIST_TIMEOUT: c(422, 1, 'Status list timed out', 'Fetching the status list took too long.'),
} satisfies Section;

// prettier-ignore
const VALIDATION = {
  NOT_AN_OBJECT: c(422, 1, 'Not an object', 'A credential is a JSON object.'),
  NOT_A_CREDENTIAL: c(422, 1, 'Not a credential', 'This is a presentation; verify it instead.'),
  ENVELOPE_INVALID: c(422, 1, 'Envelope invalid', 'The enveloped credential cannot be decoded.'),
  SIGNATURE_NOT_CHECKED: c(422, 1, 'Signature not checked', 'Validation does not check signatures; verify to check them.'),
  CLAIMS_MAY_BE_WITHHELD: c(422, 1, 'Claims may be withheld', 'Undisclosed SD-JWT digests: some claims are not shown.'),
  SCHEMA_REQUIRED: c(422, 1, 'Required member missing', 'The schema requires a member that is missing.'),
  SCHEMA_TYPE: c(422, 1, 'Wrong type', 'A member has another JSON type than the schema allows.'),
  SCHEMA_FORMAT: c(422, 1, 'Wrong format', 'A string does not have the format the schema requires.'),
  SCHEMA_ENUM: c(422, 1, 'Value not allowed', 'A value is not one of those the schema lists.'),
  SCHEMA_CONST: c(422, 1, 'Value not the constant', 'A value is not the constant the schema requires.'),
  SCHEMA_PATTERN: c(422, 1, 'Pattern mismatch', 'A string does not match the pattern the schema requires.'),
  SCHEMA_ADDITIONAL_PROPERTY: c(422, 1, 'Unknown member', 'A member is not allowed by the schema.'),
  SCHEMA_CARDINALITY: c(422, 1, 'Wrong number of items', 'An array has fewer or more items than the schema allows.'),
  SCHEMA_CONTAINS: c(422, 1, 'Required item missing', 'An array lacks an item the schema requires.'),
  SCHEMA_INVALID: c(422, 1, 'Schema violation', 'The value breaks another rule of the schema.'),
  ARTEFACT_UNKNOWN: c(404, 1, 'Artefact unknown', 'A schema or document is not bundled or registered; nothing is fetched.'),
  ARTEFACT_INVALID: c(422, 1, 'Artefact invalid', 'An artefact to register must be a JSON object.'),
  ARTEFACT_CONFLICT: c(409, 1, 'Artefact conflict', 'A different artefact is already registered at this URL.'),
  CONTEXT_UNKNOWN: c(404, 1, 'Context unknown', 'A JSON-LD context is not bundled or registered; nothing is fetched.'),
  CREDENTIAL_SCHEMA_UNAVAILABLE: c(422, 1, 'Credential schema unavailable', 'A credentialSchema is not bundled or registered, so it was not checked.'),
  JSONLD_INVALID: c(422, 1, 'JSON-LD invalid', 'The document is not valid JSON-LD.'),
  JSONLD_UNSAFE: c(422, 1, 'JSON-LD unsafe', 'JSON-LD safe mode refused the document.'),
  JSONLD_TERM_DROPPED: c(422, 1, 'Term undefined', 'A member is defined by no context in scope and would be dropped.'),
  JSONLD_VOCAB_TERM: c(422, 1, 'Term only from @vocab', 'A member gets its IRI only from a class-scoped @vocab catch-all.'),
  JSONLD_NODE_UNTYPED: c(422, 1, 'Node untyped', 'A node has no type, so its type-scoped terms are undefined.'),
  JSONLD_PROTECTED_REDEFINITION: c(422, 1, 'Protected term redefined', 'A context redefines a protected term.'),
  VCDM_CONTEXT: c(422, 1, 'VCDM context', 'The first @context must be the VCDM 2.0 context.'),
  VCDM_TYPE: c(422, 1, 'VCDM type', 'type must include VerifiableCredential (or VerifiablePresentation).'),
  VCDM_TYPE_MISSING: c(422, 1, 'VCDM type missing', 'An entry (status, schema, evidence …) needs a type.'),
  VCDM_ID: c(422, 1, 'VCDM id', 'id must be an absolute URL.'),
  VCDM_ISSUER: c(422, 1, 'VCDM issuer', 'issuer is required and is a URL (or an object with one as id).'),
  VCDM_SUBJECT: c(422, 1, 'VCDM subject', 'credentialSubject is required.'),
  VCDM_DATE: c(422, 1, 'VCDM date', 'A date must be an XML Schema dateTimeStamp with a time zone.'),
  VCDM_VALIDITY_PERIOD: c(422, 1, 'VCDM validity period', 'validUntil is before validFrom.'),
  VCDM_CREDENTIAL_SCHEMA: c(422, 1, 'VCDM credentialSchema', 'credentialSchema needs the schema URL as id.'),
  VCDM_RELATED_RESOURCE: c(422, 1, 'VCDM relatedResource', 'relatedResource entries are objects with an id and a digest.'),
  UNTP_CONTEXT_MISSING: c(422, 1, 'UNTP context missing', 'A UNTP type without a UNTP context: the version is unknown.'),
  UNTP_VERSION_MIXED: c(422, 1, 'UNTP versions mixed', 'Contexts of several UNTP versions are mixed.'),
  UNTP_VERSION_UNSUPPORTED: c(422, 1, 'UNTP version not supported', 'The UNTP version is not one the toolkit supports.'),
  UNTP_SCHEMA_UNKNOWN: c(404, 1, 'UNTP schema unknown', 'This UNTP version publishes no schema for the type.'),
  EXTENSION_SCHEMA_UNKNOWN: c(404, 1, 'Extension schema unknown', 'No schema is registered for the extension type; only the core was checked.'),
  RELATED_RESOURCE_DIGEST_MISMATCH: c(422, 1, 'Related resource digest mismatch', 'A relatedResource digest does not match the resource as the verifier loads it.'),
  RELATED_RESOURCE_NOT_CHECKED: c(422, 1, 'Related resource not checked', 'A relatedResource is not loaded by the verifier (or its digest is not SHA-256), so its digest was not checked.'),
  VCDM_1_1: c(422, 1, 'VC 1.1 credential', 'A VC Data Model 1.1 credential: read and verified, but not UNTP-conformant (UNTP is VCDM 2.0).'),
  UNTP_REQUIRES_VCDM2: c(422, 1, 'UNTP needs VCDM 2.0', 'A UNTP credential must use the VCDM 2.0 context, not VC 1.1.'),
  EXTENSION_MISMATCH: c(422, 1, 'Extension mismatch', "The extension extends another UNTP type than the credential's."),
} satisfies Section;

// prettier-ignore
const VERIFICATION = {
  VALIDATION_FAILED: c(422, 1, 'Validation failed', 'The credential did not validate (the validation step lists why).'),
  VALIDITY_DATE_INVALID: c(422, 1, 'Validity date invalid', 'validFrom or validUntil is not a date-time.'),
  CREDENTIAL_NOT_YET_VALID: c(422, 1, 'Not yet valid', 'The credential is not valid before its validFrom.'),
  CREDENTIAL_EXPIRED: c(422, 1, 'Expired', 'The credential is past its validUntil.'),
  CREDENTIAL_REVOKED: c(422, 1, 'Revoked', 'The status list marks the credential revoked.'),
  CREDENTIAL_SUSPENDED: c(422, 1, 'Suspended', 'The status list marks the credential suspended.'),
  STATUS_UNAVAILABLE: c(422, 1, 'Status unavailable', 'The credential status could not be checked.'),
  STATUS_SNAPSHOT_STALE: c(422, 1, 'Status snapshot stale', 'The status list snapshot is older than its ttl or --max-status-age (past validUntil it does not verify): get a fresh one.'),
  STATUS_ENTRY_INVALID: c(422, 1, 'Status entry invalid', 'The credentialStatus entry lacks a valid index or list URL.'),
  STATUS_INDEX_OUT_OF_RANGE: c(422, 1, 'Status index out of range', 'The status index lies outside the list.'),
  STATUS_LIST_INVALID: c(422, 1, 'Status list invalid', 'The status list is not a valid bitstring status list.'),
  STATUS_LIST_MISMATCH: c(422, 1, 'Status list mismatch', 'The status list is not the one the entry names, or has another purpose.'),
  STATUS_LIST_NOT_FOUND: c(404, 1, 'Status list not found', 'No status list at this URL.'),
  STATUS_LIST_SIZE_INVALID: c(422, 1, 'Status list size invalid', 'A status list has at least the minimum entries, in a multiple of 8.'),
  STATUS_LIST_NOT_LEDGER: c(422, 1, 'Status list not the ledger\'s', "A credit credential's status entry does not point at a status list of its issuer's ledger."),
  STATUS_LIST_UNVERIFIED: c(422, 1, 'Status list unverified', 'The signature of the status list does not verify.'),
  PRESENTATION_CHALLENGE_MISMATCH: c(422, 1, 'Challenge mismatch', 'The presentation was signed for another challenge.'),
  PRESENTATION_DOMAIN_MISMATCH: c(422, 1, 'Domain mismatch', 'The presentation was signed for another domain.'),
  NOT_A_PRESENTATION: c(400, 2, 'Not a presentation', 'A challenge or domain was expected, but the input is a credential: only a presentation (or an SD-JWT key binding) carries one.'),
  PRESENTATION_CHALLENGE_NOT_CHECKED: c(422, 1, 'Challenge not checked', 'No challenge was expected, so replay is not ruled out.'),
  PRESENTATION_CREDENTIAL_FAILED: c(422, 1, 'Presented credential failed', 'A credential inside the presentation did not verify.'),
  PRESENTATION_HOLDER_ABSENT: c(422, 1, 'No holder', 'The presentation names no holder: its proof binds it to the signing key\'s controller only.'),
  VC_JWT_1_1_READ_ONLY: c(422, 1, 'VC-JWT 1.1', 'A legacy VC-JWT 1.1 (vc/vp claims, data:application/jwt): read with this warning, never issued.'),
  KEY_BINDING_NOT_CHALLENGED: c(422, 1, 'Key binding not challenged', 'No nonce was expected, so the key binding may be replayed.'),
  POOL_OPTIONS_INVALID: c(422, 2, 'Pool options invalid', 'The number of workers must be a positive integer.'),
  POOL_QUEUE_FULL: c(503, 2, 'Verification queue full', 'Too many verifications are pending; retry.'),
  POOL_CLOSED: c(503, 2, 'Verification pool closed', 'The verification pool is closed.'),
  POOL_WORKER_FAILED: c(500, 2, 'Verification worker failed', 'A verification worker stopped unexpectedly.'),
} satisfies Section;

// prettier-ignore
const DISCLOSURE = {
  DISCLOSURE_MALFORMED: c(422, 2, 'Disclosure malformed', 'The disclosure is not base64url JSON of the expected shape.'),
  DISCLOSURE_MISMATCH: c(422, 1, 'Disclosure mismatch', 'The disclosure does not match the commitment (wrong salt or value).'),
  DISCLOSURE_FIELD_UNKNOWN: c(404, 2, 'No commitment there', 'The credential has no commitment at the pointer.'),
  DISCLOSURE_NOT_DUE: c(409, 1, 'Disclosure not due', 'The field is withheld until its disclosure date.'),
  DISCLOSURE_OVERDUE: c(422, 1, 'Disclosure overdue', 'The field was due to be disclosed and no release is given.'),
  DISCLOSURE_RELEASE_MALFORMED: c(422, 1, 'Release malformed', 'A disclosure release is a compact JWS of the expected shape.'),
  DISCLOSURE_RELEASE_TYP_INVALID: c(422, 1, 'Release typ invalid', 'The disclosure release has the wrong typ.'),
  DISCLOSURE_WRONG_CREDENTIAL: c(422, 1, 'Release for another credential', 'The release is for another credential or issuer.'),
  DISCLOSURE_FILE_UNREADABLE: c(422, 2, 'Disclosure file unreadable', 'The --disclosure file cannot be read.'),
  FIELD_WITHHELD: c(422, 1, 'Field withheld', 'A field is withheld until its disclosure date.'),
  FIELD_DISCLOSED: c(422, 1, 'Field disclosed', 'A withheld field is disclosed by a release that matches its commitment.'),
} satisfies Section;

// prettier-ignore
const BUNDLES = {
  BUNDLE_INVALID: c(422, 2, 'Bundle invalid', 'The bundle is not a bundle of the expected shape.'),
  BUNDLE_FILE_EXISTS: c(409, 2, 'Bundle file exists', 'bundle without --out never replaces <id>.bundle.json in the working directory: give --out FILE (or --out -).'),
  BUNDLE_SIGNER_MISMATCH: c(422, 1, 'Bundle signer mismatch', "The manifest must be signed by the retirement's issuer."),
  BUNDLE_ISSUANCE_MISSING: c(422, 1, 'Bundle issuance missing', 'The retirement cites issuance credentials the bundle does not include.'),
  BUNDLE_COMPONENT_MISSING: c(422, 1, 'Bundle component missing', 'The manifest lists a component the bundle does not hold.'),
  BUNDLE_COMPONENT_UNLISTED: c(422, 1, 'Bundle component unlisted', 'The bundle holds a component the manifest does not list.'),
  BUNDLE_DIGEST_MISMATCH: c(422, 1, 'Bundle digest mismatch', 'A component is not the one the manifest lists (digest differs).'),
  MANIFEST_INVALID: c(422, 1, 'Manifest invalid', 'The manifest is not a signed bundle manifest.'),
  MANIFEST_SIGNER_MISMATCH: c(422, 1, 'Manifest signer mismatch', "The manifest is not signed by the retirement's issuer."),
  MANIFEST_UNVERIFIED: c(422, 1, 'Manifest unverified', 'The manifest did not verify, so the components cannot be checked.'),
  RETIREMENT_INVALID: c(422, 1, 'Retirement invalid', 'The retirement credential did not verify or lists no units.'),
  RETIREMENT_UNDECODABLE: c(422, 1, 'Retirement undecodable', 'The retirement could not be decoded.'),
  ISSUANCE_MISSING: c(422, 1, 'Issuance missing', 'An issuance the retirement cites is not given.'),
  ISSUANCE_DIGEST_MISMATCH: c(422, 1, 'Issuance digest mismatch', 'The given issuance is not the one the retirement cites.'),
  ISSUANCE_INVALID: c(422, 1, 'Issuance invalid', 'A cited issuance credential did not verify.'),
  ISSUANCE_UNVERIFIED: c(422, 1, 'Issuance unverified', 'The cited issuance did not verify, so the range cannot be checked.'),
  ISSUANCE_MISMATCH: c(422, 1, 'Issuance mismatch', "A retired block names another issuance than the cited one."),
  ISSUER_MISMATCH: c(422, 1, 'Issuer mismatch', "An issuance is issued by another registry than the retirement's."),
  RANGE_OUTSIDE_ISSUANCE: c(422, 1, 'Range outside issuance', 'A retired range is not within the cited issuance.'),
  UNITS_MISMATCH: c(422, 1, 'Units mismatch', "A retired block's credit unit differs from the issuance's."),
  TOTAL_MISMATCH: c(422, 1, 'Total mismatch', 'totalQuantity is not the sum of the retired blocks.'),
} satisfies Section;

// prettier-ignore
const CLAIMS = {
  DOUBLE_CLAIM: c(422, 1, 'Double claim', 'Two live retirements claim the same serials.'),
  SUPERSEDED_NOT_REVOKED: c(422, 1, 'Superseded, not revoked', 'An amended retirement is not shown revoked.'),
  DPP_CLAIMS_EXCEED_RETIRED: c(422, 1, 'Passport claims exceed retirement', 'Passports claim more than the cited retirement retired.'),
  DPP_DIGEST_MISMATCH: c(422, 1, 'Passport digest mismatch', 'The passport cites the retirement with another digest.'),
  DPP_RETIREMENT_INVALID: c(422, 1, 'Passport retirement invalid', 'The retirement a passport cites did not verify.'),
  DPP_RETIREMENT_UNKNOWN: c(404, 1, 'Passport retirement not given', 'The retirement a passport cites was not given to the verifier (a warning).'),
  DPP_PRODUCT_OUTSIDE_BOUNDARY: c(422, 1, 'Product outside claim boundary', "The product is outside the retirement's claim boundary."),
  DPP_PERIOD_OUTSIDE_BOUNDARY: c(422, 1, 'Period outside claim boundary', "The production period is outside the claim period."),
  DPP_MARKET_OUTSIDE_BOUNDARY: c(422, 1, 'Market outside claim boundary', "The market is outside the claim's markets."),
  DPP_UNIT_INCOMPATIBLE: c(422, 1, 'Passport unit incompatible', 'The passport quantity cannot be compared with the retired unit.'),
} satisfies Section;

// prettier-ignore
const TRANSPARENCY_LOG = {
  LOG_ENTRY_MISSING: c(422, 1, 'Not in the log', "No log entry and inclusion proof for this credit credential: it is not shown to be in the registry's public log."),
  LOG_ENTRY_MISMATCH: c(422, 1, 'Log entry mismatch', "The log entry names another credential id or credentialDigest than the credential's."),
  LOG_PROOF_INVALID: c(422, 1, 'Inclusion proof invalid', 'The inclusion proof does not lead from the entry to the root of the correctly signed checkpoint.'),
  LOG_EVIDENCE_INVALID: c(422, 1, 'Log evidence malformed', 'The log evidence is not { index, treeSize, proof, checkpoint, entry } of the right shapes.'),
  LOG_WITNESS_THRESHOLD_UNMET: c(422, 1, 'Too few witness cosignatures', 'The checkpoint carries fewer valid cosignatures by the pinned witnesses than the trust file requires.'),
  LOG_KEY_NOT_PINNED: c(422, 1, 'No log key pinned', "Log inclusion is required, but the trust in use names no log key for the credential's issuer."),
  LOG_NOT_CHECKED: c(422, 1, 'Log not checked', "The trust in use names no log key, so inclusion in the registry's log was not checked (a warning)."),
  LOG_TREE_SIZE_INVALID: c(422, 1, 'Tree size invalid', 'A tree size is negative, unsafe, beyond the tree, or older larger than newer.'),
  LOG_INDEX_OUT_OF_RANGE: c(422, 1, 'Leaf index out of range', 'The leaf index (or entry range) is not in a tree of this size.'),
  LOG_RANGE_EMPTY: c(422, 1, 'Range empty', 'The leaf range holds no leaves.'),
  LOG_HASH_INVALID: c(422, 1, 'Hash invalid', 'A hash is not 32 bytes.'),
  LOG_HASH_UNAVAILABLE: c(422, 1, 'Subtree hash unavailable', 'No complete subtree at this level and index (or its tile was not loaded).'),
  LOG_COMPACT_RANGE_INVALID: c(422, 1, 'Compact range invalid', 'The edge hashes do not fit a tree of this size.'),
  LOG_NOT_CONSISTENT: c(422, 1, 'Trees not consistent', 'The newer tree does not extend the older one: the log forked or rewrote history.'),
  LOG_HISTORY_REWRITTEN: c(503, 2, 'Ledger history rewritten', 'The events no longer give the entries the log holds (or an event has none): the registry signs no further checkpoint.'),
  LOG_KEY_UNAVAILABLE: c(503, 2, 'Log key unavailable', 'The registry identity has no log key this process can sign with.'),
  LOG_KEY_NAME_MISMATCH: c(500, 2, 'Log key misnamed', 'The log key is not named after the log origin.'),
  LOG_CONSISTENCY_PROOF_REQUIRED: c(422, 1, 'Consistency proof required', 'Checkpoints of different sizes are compared through a consistency proof.'),
  LOG_ORIGIN_INVALID: c(422, 1, 'Log prefix invalid', 'A log prefix is an http(s) URL without query, fragment or credentials.'),
  LOG_KEY_NAME_INVALID: c(422, 1, 'Key name invalid', 'A key name is non-empty, without spaces, + or control characters.'),
  LOG_KEY_INVALID: c(422, 1, 'Log key invalid', 'An Ed25519 secret key is 32 bytes.'),
  LOG_VKEY_MALFORMED: c(422, 1, 'Verifier key malformed', 'Not a verifier key name+keyid+base64.'),
  LOG_VKEY_UNSUPPORTED: c(422, 1, 'Verifier key not supported', 'Only 32-byte Ed25519 note (0x01) and cosigner (0x04) keys are supported.'),
  LOG_VKEY_KEY_ID_MISMATCH: c(422, 1, 'Verifier key id mismatch', 'The key ID of a verifier key is not the one its name and key give.'),
  LOG_CHECKPOINT_MALFORMED: c(422, 1, 'Checkpoint malformed', 'A checkpoint is at least origin, size and root hash lines, ending in a newline.'),
  LOG_CHECKPOINT_ORIGIN_INVALID: c(422, 1, 'Checkpoint origin invalid', 'The origin line is empty or has spaces or +.'),
  LOG_CHECKPOINT_SIZE_INVALID: c(422, 1, 'Checkpoint size invalid', 'The tree size line is not a decimal integer without leading zeros.'),
  LOG_CHECKPOINT_ROOT_INVALID: c(422, 1, 'Checkpoint root invalid', 'The root hash line is not the standard base64 of 32 bytes.'),
  LOG_CHECKPOINT_EXTENSION_INVALID: c(422, 1, 'Checkpoint extension invalid', 'Extension lines are non-empty, without control characters.'),
  LOG_CHECKPOINT_ORIGIN_MISMATCH: c(422, 1, 'Checkpoint of another log', 'The checkpoint is of another log than the one expected.'),
  LOG_CHECKPOINT_NO_LOG_KEY: c(422, 1, 'No log key', 'No verifier key is named after the log origin.'),
  LOG_NOTE_TOO_LARGE: c(422, 1, 'Note too large', 'A signed note is larger than allowed.'),
  LOG_NOTE_NOT_UTF8: c(422, 1, 'Note not UTF-8', 'The signed note is not valid UTF-8.'),
  LOG_NOTE_TEXT_INVALID: c(422, 1, 'Note text invalid', 'A note text is non-empty and ends in a newline.'),
  LOG_NOTE_CONTROL_CHARACTER: c(422, 1, 'Control character in note', 'A note text or signature line holds a control character.'),
  LOG_NOTE_NO_SIGNATURES: c(422, 1, 'Note unsigned', 'The note has no signature lines.'),
  LOG_NOTE_SIGNATURE_LINE_MALFORMED: c(422, 1, 'Signature line malformed', 'A signature line is not an em dash, a key name and base64.'),
  LOG_NOTE_TOO_MANY_SIGNATURES: c(422, 1, 'Too many signatures', 'The note carries more signatures than allowed.'),
  LOG_NOTE_DUPLICATE_SIGNATURE: c(422, 1, 'Duplicate signature', 'The note carries two signatures by one key.'),
  LOG_NOTE_SIGNATURE_INVALID: c(422, 1, 'Note signature invalid', 'A signature by a known key does not verify.'),
  LOG_NOTE_UNVERIFIED: c(422, 1, 'Note unverified', 'No signature on the note is by a known key.'),
  LOG_COSIGNATURE_MALFORMED: c(422, 1, 'Cosignature malformed', 'A v1 cosignature is a timestamp and an Ed25519 signature after the key ID.'),
  LOG_COSIGNATURE_TIMESTAMP_INVALID: c(422, 1, 'Cosignature timestamp invalid', 'A cosignature timestamp is a non-negative integer of seconds in range.'),
  LOG_ENTRY_NOT_JSON: c(422, 1, 'Entry not plain JSON', 'A log entry is a JSON object of plain JSON values.'),
  LOG_ENTRY_TOO_LARGE: c(422, 1, 'Entry too large', 'A log entry (even split by its block list) is larger than allowed.'),
  LOG_ENTRY_BUNDLE_MALFORMED: c(422, 1, 'Entry bundle malformed', 'An entry bundle is length-prefixed entries, as many as its width.'),
  LOG_ENTRY_HASH_MISMATCH: c(422, 1, 'Entry hash mismatch', 'An entry in the bundle does not hash to its leaf of the tiles.'),
  LOG_TILE_PATH_INVALID: c(422, 1, 'Tile path invalid', 'Not a tile path tile/<L>/<N>[.p/<W>] or tile/entries/<N>[.p/<W>].'),
  LOG_TILE_INVALID: c(422, 1, 'Tile invalid', 'Not a tile: a level, an index and a width of 1…256.'),
  LOG_TILE_SIZE_INVALID: c(422, 1, 'Tile size invalid', 'A hash tile is 32 bytes per hash of its width.'),
  LOG_TILE_MISSING: c(404, 1, 'Tile missing', 'The log does not serve this tile.'),
  LOG_TILE_HASH_MISMATCH: c(422, 1, 'Tile hash mismatch', 'The hashes read from the tiles do not match the checkpoint root.'),
  LOG_REPLAY_ENTRY_MALFORMED: c(422, 1, 'Entry unreadable by replay', 'A log entry is not an event object with an integer seq, a type and well-formed blocks.'),
  LOG_REPLAY_SEQ_ORDER: c(422, 1, 'Events out of order', 'An entry does not come after the previous event in seq order.'),
  LOG_REPLAY_BLOCKS_INCOMPLETE: c(422, 1, 'Split event incomplete', "A split event's block parts are missing, out of order, or do not match its blockCount and blocksDigest."),
  LOG_REPLAY_BLOCK_NOT_LIVE: c(422, 1, 'Block not live', 'An entry supersedes a block that is not live with that holder.'),
  LOG_REPLAY_NOT_CONSERVED: c(422, 1, 'Credits not conserved', 'An entry creates serials of an issuance other than the ones it supersedes, or of an issuance never issued.'),
  LOG_REPLAY_SERIAL_DOUBLE_HELD: c(422, 1, 'Serial held twice', 'An entry creates a block over serials another live block holds.'),
  LOG_REPLAY_RETIRED_TWICE: c(422, 1, 'Serial retired twice', 'An entry retires serials an earlier entry retired.'),
  LOG_REPLAY_RETIRED_TOUCHED: c(422, 1, 'Retired serial touched', 'An entry after a retirement moves, splits or reissues retired serials.'),
  LOG_REPLAY_CREDENTIAL_REUSED: c(422, 1, 'Credential logged twice', 'Two entries log the same credential id or digest.'),
  LOG_ENTRY_REWRITTEN: c(422, 1, 'Logged entry rewritten', 'An entry verified before no longer has the same bytes: the log rewrote its history.'),
  LOG_EQUIVOCATION: c(422, 1, 'Log equivocation', 'The log signed two checkpoints that cannot both be true; both signed notes are the evidence.'),
  LOG_ROLLED_BACK: c(422, 1, 'Log rolled back', 'The log serves a smaller tree than one already verified (a stale mirror, or a rollback).'),
  LOG_STATE_INVALID: c(400, 2, 'Log state unreadable', 'The monitor or witness state file is not one this tool wrote, or is of another log.'),
  LOG_WITNESS_REQUEST_MALFORMED: c(400, 2, 'Witness request malformed', 'An add-checkpoint body is "old N", proof lines, a blank line and a signed checkpoint.'),
} satisfies Section;

// prettier-ignore
const FOOTPRINT_AND_IMPACT = {
  CSV_INVALID: c(422, 2, 'CSV invalid', 'The CSV file cannot be parsed.'),
  PERIOD_INVALID: c(422, 2, 'Period invalid', 'Not a period (2026, 2026-Q1, 2026-H1, 2026-03 or a date range).'),
  PERIOD_REQUIRED: c(422, 2, 'Period required', 'The footprint has several periods; name one.'),
  PERIOD_UNKNOWN: c(404, 2, 'Period unknown', 'The footprint has no such period.'),
  PRODUCT_UNKNOWN: c(404, 2, 'Product unknown', 'No passport for this product.'),
  DUPLICATE_PRODUCT_PERIOD: c(409, 2, 'Product counted twice', 'A product is counted twice for one period.'),
  MASS_MISSING: c(422, 2, 'Mass missing', "A matched material needs mass, or massFraction and the product's weight."),
  ALLOCATION_INVALID: c(422, 2, 'Allocation invalid', 'Not a PremiumAllocationCredential.'),
  ALLOCATION_EXISTS: c(409, 1, 'Allocation exists', 'This allocation report is already recorded.'),
  ALLOCATION_EXCEEDS_PREMIUM: c(422, 1, 'Allocation exceeds premium', 'The allocations total more than the premium received.'),
  AMOUNT_INVALID: c(422, 1, 'Amount invalid', 'An amount must be non-negative.'),
  CURRENCY_MISMATCH: c(422, 1, 'Currency mismatch', 'One currency per report.'),
  DUPLICATE_RETIREMENT: c(409, 1, 'Retirement reported twice', 'A retirement is reported twice.'),
} satisfies Section;

/** The sections of the catalogue, in the order docs/errors.md shows them. */
export const CATALOGUE_SECTIONS = [
  { title: 'Requests, credentials and the server', codes: REQUESTS },
  { title: 'Registry storage and set-up', codes: STORAGE },
  { title: 'Ledger commands', codes: LEDGER },
  { title: 'Registry invariants', codes: INVARIANTS },
  { title: 'Building credentials', codes: BUILDING },
  { title: 'Securing: JOSE, Data Integrity, SD-JWT', codes: SECURING },
  { title: 'Keys, DIDs and trust', codes: KEYS },
  { title: 'Fetching', codes: FETCHING },
  { title: 'Validation', codes: VALIDATION },
  { title: 'Verification', codes: VERIFICATION },
  { title: 'Withheld fields and disclosure', codes: DISCLOSURE },
  { title: 'Bundles', codes: BUNDLES },
  { title: 'Claims and passports', codes: CLAIMS },
  { title: 'Transparency log', codes: TRANSPARENCY_LOG },
  { title: 'Footprints and impact', codes: FOOTPRINT_AND_IMPACT },
] as const;

/** Every code, with its entry. */
export const ERROR_CATALOGUE = {
  ...REQUESTS,
  ...STORAGE,
  ...LEDGER,
  ...INVARIANTS,
  ...BUILDING,
  ...SECURING,
  ...KEYS,
  ...FETCHING,
  ...VALIDATION,
  ...VERIFICATION,
  ...DISCLOSURE,
  ...BUNDLES,
  ...CLAIMS,
  ...TRANSPARENCY_LOG,
  ...FOOTPRINT_AND_IMPACT,
};

/** A code of the catalogue. */
export type ErrorCode = keyof typeof ERROR_CATALOGUE;
/** The codes of the transparency-log core (src/log). */
export type LogErrorCode = Extract<ErrorCode, `LOG_${string}`>;

/**
 * Old names kept for one release: accepted wherever a code is given or compared (the constructor
 * of `UntpCreditsError`, `hasCode`, `parseErrorCode`), never produced. Each maps to its replacement.
 */
export const DEPRECATED_CODES = {
  // The ledger said *_UNKNOWN where HTTP said *_NOT_FOUND for the same missing record.
  ACCOUNT_UNKNOWN: 'ACCOUNT_NOT_FOUND',
  ISSUANCE_UNKNOWN: 'ISSUANCE_NOT_FOUND',
  RETIREMENT_UNKNOWN: 'RETIREMENT_NOT_FOUND',
  // The ledger (409) and the HTTP layer (422) both meant "this key was used for another request".
  IDEMPOTENCY_CONFLICT: 'IDEMPOTENCY_KEY_REUSED',
  // The CLI's name for a 401 without a problem body.
  UNAUTHORIZED: 'UNAUTHENTICATED',
  // The server said IDENTITY_NOT_FOUND where the CLI said IDENTITY_MISSING for a database without identity.
  IDENTITY_NOT_FOUND: 'IDENTITY_MISSING',
} as const satisfies Record<string, ErrorCode>;

/** An old code name, still accepted for one release. */
export type DeprecatedCode = keyof typeof DEPRECATED_CODES;

/** True when `value` is a code of the catalogue (not a deprecated alias). */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && Object.hasOwn(ERROR_CATALOGUE, value);
}

/**
 * The catalogue code for a code read from outside (a problem body, a report, a flag): current
 * codes as they are, deprecated aliases to their replacement, anything else undefined.
 *
 * @example
 *   parseErrorCode('ACCOUNT_UNKNOWN'); // 'ACCOUNT_NOT_FOUND'
 */
export function parseErrorCode(value: unknown): ErrorCode | undefined {
  if (isErrorCode(value)) return value;
  if (typeof value === 'string' && Object.hasOwn(DEPRECATED_CODES, value))
    return DEPRECATED_CODES[value as DeprecatedCode];
  return undefined;
}

/** The current code for a code or a deprecated alias. */
export function canonicalCode(code: ErrorCode | DeprecatedCode): ErrorCode {
  return parseErrorCode(code) as ErrorCode;
}

/**
 * Does `value` carry `code` (or the code a deprecated alias now names)? For callers that compare.
 *
 * @example
 *   if (hasCode(error, 'ACCOUNT_NOT_FOUND')) …   // also true for the old ACCOUNT_UNKNOWN
 */
export function hasCode(value: unknown, code: ErrorCode | DeprecatedCode): boolean {
  const actual = (value as { code?: unknown } | null | undefined)?.code;
  return actual !== undefined && parseErrorCode(actual) === canonicalCode(code);
}

/** The entry of a code. */
export function catalogueEntry(code: ErrorCode): CatalogueEntry {
  return ERROR_CATALOGUE[code];
}
