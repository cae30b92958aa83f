import { ERROR_CATALOGUE } from '../errors/catalogue.js';
import { ownArtefactPaths } from './routes/did.js';
import { overviewOpenApiPaths } from './routes/overview.js';
import { COMMAND_SCHEMAS, DISCLOSURE_RELEASE_SCHEMA } from '../app/schemas.js';
import { LEDGER_COMMANDS, type LedgerCommand } from './ports.js';

type Json = Record<string, unknown>;

// A problem is application/problem+json; a browser (Accept preferring text/html) gets it as a page.
const problem = (description: string): Json => ({
  description,
  content: {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
    'text/html': { schema: { type: 'string' } },
  },
});
const json = (description: string, schema: Json = { type: 'object' }): Json => ({
  description,
  content: { 'application/json': { schema } },
});
const body = (schema: Json, example?: Json): Json => ({
  required: true,
  content: { 'application/json': { schema, ...(example ? { example } : {}) } },
});
const WRITE_ERRORS = {
  400: problem('Malformed body, JSON nested too deep, or a body its schema refuses (`path` names the field)'),
  401: problem('No or unknown API key'),
  403: problem('The key lacks the scope'),
  413: problem('Body over 1 MB'),
  429: problem('Too many failed authentications from this client (Retry-After)'),
  415: problem('Not application/json'),
};
const IDEMPOTENCY = {
  name: 'Idempotency-Key',
  in: 'header',
  required: false,
  schema: { type: 'string', maxLength: 255 },
  description: 'Retries with the same key and request get the first answer; the same key with another request is 422.',
};
const PAGE = [
  { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 500, default: 50 } },
  { name: 'cursor', in: 'query', schema: { type: 'string' } },
];
const idParam = (name: string): Json => ({ name, in: 'path', required: true, schema: { type: 'string' } });

const COMMAND_DOCS: Record<LedgerCommand, { summary: string; scope: string; credential: boolean }> = {
  openAccount: { summary: 'Open an account (a holder of credits)', scope: 'admin', credential: false },
  issue: {
    summary: 'Issue credits (client-chosen issuanceId, quantity, issuance fields)',
    scope: 'issuer',
    credential: true,
  },
  transfer: { summary: 'Transfer credits between accounts', scope: 'holder:<from> or admin', credential: false },
  retire: {
    summary: 'Retire credits for a beneficiary and claim boundary',
    scope: 'holder:<account> or admin',
    credential: true,
  },
  amend: { summary: 'Amend a retirement (a new credential that replaces the old)', scope: 'admin', credential: true },
  suspend: { summary: 'Suspend credits', scope: 'admin', credential: false },
  unsuspend: { summary: 'Lift a suspension', scope: 'admin', credential: false },
  cancel: { summary: 'Cancel credits', scope: 'admin', credential: false },
  allocate: {
    summary:
      'Record a premium allocation report: the ledger builds the PremiumAllocationCredential from the draft (impact build) and signs it',
    scope: 'issuer or admin',
    credential: true,
  },
  invalidate: { summary: 'Invalidate a retirement', scope: 'admin', credential: false },
  correct: { summary: 'Correct an issuance (a corrected issuance replaces it)', scope: 'admin', credential: false },
};

/**
 * The OpenAPI 3.1 document of the server, served at /openapi.json. A test requests every operation
 * listed here and checks the status against the documented responses, and checks that every Express
 * route is listed.
 */
export function openApiDocument(serverUrl: string): Json {
  const paths: Record<string, Json> = {};
  // One path may carry several operations (POST and GET /registry/retirements): merge, never replace.
  const add = (path: string, operations: Json) => {
    paths[path] = { ...(paths[path] ?? {}), ...operations };
  };
  const registryWrites = Object.entries(LEDGER_COMMANDS) as [LedgerCommand, string][];
  for (const [command, path] of registryWrites) {
    const doc = COMMAND_DOCS[command];
    add(path, {
      post: {
        operationId: `registry_${command}`,
        tags: ['registry'],
        summary: doc.summary,
        description: `Scope: ${doc.scope}. A request body that works is in examples/api/.`,
        security: [{ bearer: [] }],
        parameters: [IDEMPOTENCY],
        // The application layer's schema: what the server checks is what is published.
        requestBody: body(COMMAND_SCHEMAS[command]),
        responses: {
          201: json(doc.credential ? 'Done; `credential` is the enveloped credential emitted' : 'Done', {
            type: 'object',
          }),
          ...WRITE_ERRORS,
          404: problem('A record named in the body does not exist'),
          409: problem('Conflicts with the ledger state (already retired, not enough held, idempotency in progress)'),
          422: problem('Invalid fields, or Idempotency-Key reused for another request'),
          503: problem('The ledger is not available'),
        },
      },
    });
  }
  const read = (operationId: string, summary: string, parameters: Json[], extra: Json = {}): Json => ({
    get: {
      operationId,
      tags: ['registry'],
      summary,
      parameters,
      responses: {
        200: json('Found'),
        404: problem('No such record'),
        503: problem('The ledger is not available'),
        ...extra,
      },
    },
  });
  add(
    '/registry/issuances/{id}',
    read('registry_getIssuance', 'An issuance record with its credential', [idParam('id')]),
  );
  add(
    '/registry/issuances/{id}/credential',
    read('registry_getIssuanceCredential', 'The signed issuance credential alone', [idParam('id')]),
  );
  add(
    '/registry/retirements',
    read('registry_listRetirements', 'Public, paged list of retirements', PAGE, {
      400: problem('Bad limit or cursor'),
    }),
  );
  add('/registry/retirements/{id}', {
    get: {
      operationId: 'registry_getRetirement',
      tags: ['registry'],
      summary: 'A retirement record; with Accept: text/html, the public retirement statement page',
      parameters: [idParam('id')],
      responses: {
        200: {
          description: 'The record, or the statement page',
          content: { 'application/json': { schema: { type: 'object' } }, 'text/html': { schema: { type: 'string' } } },
        },
        404: problem('No such retirement'),
        503: problem('The ledger is not available'),
      },
    },
  });
  add(
    '/registry/retirements/{id}/credential',
    read('registry_getRetirementCredential', 'The signed retirement credential alone', [idParam('id')]),
  );
  add(
    '/registry/allocations/{id}',
    read(
      'registry_getAllocation',
      'A premium allocation report the ledger signed: { reportId, credentialId, digestMultibase, credential }',
      [idParam('id')],
    ),
  );
  add('/registry/retirements/{id}/disclosures', {
    post: {
      operationId: 'registry_releaseDisclosure',
      tags: ['registry'],
      summary:
        'Release a withheld field of a retirement (docs/privacy.md): the registry signs and stores the disclosure release',
      description:
        'Scope: holder:<the retiring account> or admin. `early: true` releases before the disclosure date (the beneficiary agreed).',
      security: [{ bearer: [] }],
      parameters: [idParam('id')],
      requestBody: body(DISCLOSURE_RELEASE_SCHEMA),
      responses: {
        201: json('Released: { retirementId, commitment, release (compact JWS), releasedAt }'),
        ...WRITE_ERRORS,
        404: problem('No such retirement, or no commitment at that pointer'),
        409: problem('DISCLOSURE_NOT_DUE: before the disclosure date'),
        422: problem('DISCLOSURE_MISMATCH: the disclosure does not open the commitment'),
        503: problem('The ledger is not available'),
      },
    },
  });
  add(
    '/registry/retirements/{id}/bundle',
    read(
      'registry_getRetirementBundle',
      'The offline verification bundle of a retirement, signed by the registry (docs/bundles.md)',
      [idParam('id')],
    ),
  );
  add(
    '/registry/credentials/{id}',
    read('registry_getCredential', 'A credential this registry issued, by the last segment of its id', [idParam('id')]),
  );
  const query = (name: string, description: string, schema: Json = { type: 'string' }): Json => ({
    name,
    in: 'query',
    description,
    schema,
  });
  const SEARCH_PAGE = (item: string): Json => ({
    description: `A page of ${item}, newest first (pass next as cursor); with format=csv or ndjson (or Accept: text/csv, application/x-ndjson) every matching row, streamed, each with credentialId and digestMultibase`,
    content: {
      'application/json': {
        schema: {
          type: 'object',
          required: ['items'],
          properties: { items: { type: 'array', items: { type: 'object' } }, next: { type: 'string' } },
        },
      },
      'text/csv': {
        schema: { type: 'string', description: 'RFC 4180, header row, formula cells prefixed with an apostrophe' },
      },
      'application/x-ndjson': { schema: { type: 'string', description: 'one JSON object per line' } },
    },
  });
  const FORMAT = query('format', 'json (default), csv or ndjson', { type: 'string', enum: ['json', 'csv', 'ndjson'] });
  add('/registry/search/retirements', {
    get: {
      operationId: 'registry_searchRetirements',
      tags: ['search'],
      summary:
        'Public search of retirements (current versions unless state says otherwise); a withheld beneficiary is searchable only once its release is stored',
      parameters: [
        query('beneficiaryId', 'The beneficiary id, exact'),
        query(
          'beneficiaryName',
          'The beneficiary name, case-folded; exact, or a prefix with beneficiaryNamePrefix=true',
        ),
        query('beneficiaryNamePrefix', 'Match beneficiaryName as a prefix', {
          type: 'string',
          enum: ['true', 'false'],
        }),
        query('account', 'The retiring account'),
        query('site', 'A production site id the retired units were issued for'),
        query('commodity', 'A commodity code of the retired units (e.g. Co)'),
        query('vintage', 'A vintage of the retired units (e.g. 2026-Q1)'),
        query('claimFrom', 'Claim periods ending on or after this date', { type: 'string', format: 'date' }),
        query('claimTo', 'Claim periods starting on or before this date', { type: 'string', format: 'date' }),
        query('productId', 'A covered product id'),
        query('purpose', 'The retirement purpose'),
        query('state', 'Which versions', { type: 'string', enum: ['current', 'amended', 'invalidated', 'all'] }),
        FORMAT,
        ...PAGE,
      ],
      responses: {
        200: SEARCH_PAGE('retirement records'),
        400: problem('An unknown parameter, a malformed date, state or cursor'),
        503: problem('The ledger is not available'),
      },
    },
  });
  add('/registry/search/issuances', {
    get: {
      operationId: 'registry_searchIssuances',
      tags: ['search'],
      summary: 'Public search of issuances (not revoked, unless state says otherwise)',
      parameters: [
        query('site', 'The production site id'),
        query('producer', 'The producer id'),
        query('standard', 'The standard id'),
        query('vintage', 'The vintage'),
        query('commodity', 'The commodity code'),
        query('state', 'Which issuances', { type: 'string', enum: ['current', 'revoked', 'all'] }),
        FORMAT,
        ...PAGE,
      ],
      responses: {
        200: SEARCH_PAGE('issuance records'),
        400: problem('An unknown parameter, state or cursor'),
        503: problem('The ledger is not available'),
      },
    },
  });
  add('/id/{kind}/{id}', {
    get: {
      operationId: 'resolver_resolve',
      tags: ['resolver'],
      summary:
        'UNTP Identity Resolver: the RFC 9264 linkset of a registry identifier (linkType=all or linkset, or Accept: application/linkset+json), else a 307 redirect to the requested link type or the default',
      description:
        'kind is retirement, issuance, serial (<prefix>-<n>), block (<prefix>-<start>-<end>), site (the site id, percent-encoded) or account. The linkset validates against https://untp.unece.org/artefacts/schema/v0.7.0/idr/LinksetSchema.json. linkType is a full IRI, its untp: short form, or an IANA relation (describedby: statement page, alternate: offline bundle, related: registry record, author: issuer DID document). Older versions carry rel predecessor-version; defaults point at the current one. lang or Accept-Language pick the language; answers Vary: Accept, Accept-Language.',
      parameters: [
        idParam('kind'),
        idParam('id'),
        query('linkType', 'all, linkset, or a link type'),
        query('lang', 'A preferred language (before Accept-Language)'),
      ],
      responses: {
        200: {
          description: 'The linkset',
          content: {
            'application/linkset+json': {
              schema: {
                type: 'object',
                required: ['linkset'],
                properties: {
                  linkset: {
                    type: 'array',
                    items: { type: 'object', required: ['anchor'], properties: { anchor: { type: 'string' } } },
                  },
                },
              },
            },
          },
        },
        307: { description: 'Redirect to the chosen target (Location)' },
        400: problem('An unknown kind, or a malformed serial or block'),
        404: problem('No such identifier (or no ledger)'),
      },
    },
  });
  add('/.well-known/resolver', {
    get: {
      operationId: 'resolver_description',
      tags: ['resolver'],
      summary: 'The resolver description: name, resolver root, supported link types and identifier kinds',
      responses: { 200: json('The description') },
    },
  });
  add(
    '/registry/serials/{serial}',
    read('registry_lookupSerial', 'Which issuance a serial belongs to, who holds it, its state', [idParam('serial')]),
  );
  add(
    '/registry/accounts/{id}/holdings',
    read('registry_holdings', 'The serial blocks an account holds', [idParam('id')]),
  );
  const text = (operationId: string, summary: string, description: string, parameters: Json[] = []) => ({
    get: {
      operationId,
      tags: ['log'],
      summary,
      parameters,
      responses: {
        200: { description, content: { 'text/plain': { schema: { type: 'string' } } } },
        404: { description: 'Not there (yet)' },
      },
    },
  });
  add(
    '/registry/log/checkpoint',
    text(
      'log_checkpoint',
      'The latest signed checkpoint of the transparency log (C2SP tlog-checkpoint as a signed note; cached a second at most)',
      'The checkpoint; 503 LOG_HISTORY_REWRITTEN when the registry found its ledger history changed under the log',
    ),
  );
  add(
    '/registry/log/vkey',
    text('log_vkey', 'The log key as a C2SP verifier key (<origin>+<key ID>+<base64 key>)', 'The verifier key'),
  );
  add('/registry/log/tile/{tile}', {
    get: {
      operationId: 'log_tile',
      tags: ['log'],
      summary:
        'C2SP tlog-tiles: hash tiles tile/<L>/<N>[.p/<W>] and entry bundles tile/entries/<N>[.p/<W>]; full tiles are immutable',
      parameters: [{ name: 'tile', in: 'path', required: true, schema: { type: 'string' } }],
      responses: {
        200: {
          description: 'The tile',
          content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
        },
        404: { description: 'No such tile at the latest checkpoint' },
      },
    },
  });
  add('/registry/events', {
    get: {
      operationId: 'registry_events',
      tags: ['registry'],
      summary: 'The ledger events, paged; Accept: application/x-ndjson (or ?format=ndjson) streams them all',
      parameters: [...PAGE, { name: 'format', in: 'query', schema: { type: 'string', enum: ['ndjson'] } }],
      responses: {
        200: {
          description: 'A page of events, or NDJSON',
          content: {
            'application/json': { schema: { type: 'object' } },
            'application/x-ndjson': { schema: { type: 'string' } },
          },
        },
        400: problem('Bad limit or cursor'),
        503: problem('The ledger is not available'),
      },
    },
  });
  add('/registry/invariants', {
    get: {
      operationId: 'registry_invariants',
      tags: ['registry'],
      summary: 'The ledger invariant check',
      responses: { 200: json('The invariant report'), 503: problem('The ledger is not available') },
    },
  });

  add('/credentials/issue', {
    post: {
      operationId: 'issueCredential',
      tags: ['vc-api'],
      summary: 'Sign a credential as this registry (VC-JOSE-COSE by default)',
      security: [{ bearer: [] }],
      parameters: [IDEMPOTENCY],
      requestBody: body({
        type: 'object',
        required: ['credential'],
        properties: {
          credential: { type: 'object' },
          options: {
            type: 'object',
            properties: {
              format: { enum: ['jose', 'eddsa-rdfc-2022', 'ecdsa-rdfc-2019'] },
              credentialStatus: { type: 'object' },
            },
          },
        },
      }),
      responses: {
        201: json('Issued', {
          type: 'object',
          required: ['verifiableCredential'],
          properties: { verifiableCredential: { type: 'object' } },
        }),
        ...WRITE_ERRORS,
        422: problem('The credential is not valid, or its issuer is not this registry'),
        503: problem('Status lists unavailable'),
      },
    },
  });
  const verifyResponses = {
    200: json('Verified: the verification report', { $ref: '#/components/schemas/VerificationReport' }),
    400: {
      description: 'Not verified (the verification report), or a malformed request (problem+json)',
      content: {
        'application/json': { schema: { $ref: '#/components/schemas/VerificationReport' } },
        'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
      },
    },
    413: problem('Body over 1 MB'),
    415: problem('Not application/json'),
  };
  add('/credentials/verify', {
    post: {
      operationId: 'verifyCredential',
      tags: ['vc-api'],
      summary: 'Verify a credential (proof, data model, validity, status)',
      requestBody: body({
        type: 'object',
        required: ['verifiableCredential'],
        properties: { verifiableCredential: {}, options: { type: 'object' } },
      }),
      responses: verifyResponses,
    },
  });
  add('/presentations/verify', {
    post: {
      operationId: 'verifyPresentation',
      tags: ['vc-api'],
      summary: 'Verify a presentation with options.challenge / options.domain (a credential: 400 NOT_A_PRESENTATION)',
      requestBody: body({
        type: 'object',
        required: ['verifiablePresentation'],
        properties: {
          verifiablePresentation: {},
          options: { type: 'object', properties: { challenge: { type: 'string' }, domain: { type: 'string' } } },
        },
      }),
      responses: verifyResponses,
    },
  });
  add('/credentials/status', {
    post: {
      operationId: 'updateStatus',
      tags: ['vc-api'],
      summary: 'Set or clear a status bit of a credential this registry issued',
      security: [{ bearer: [] }],
      parameters: [IDEMPOTENCY],
      requestBody: body({
        type: 'object',
        required: ['credentialId', 'credentialStatus'],
        properties: {
          credentialId: { type: 'string' },
          credentialStatus: {
            type: 'array',
            items: {
              type: 'object',
              required: ['statusPurpose', 'status'],
              properties: { type: { type: 'string' }, statusPurpose: { type: 'string' }, status: { type: 'boolean' } },
            },
          },
        },
      }),
      responses: {
        200: json('Updated'),
        ...WRITE_ERRORS,
        404: problem('Unknown credential'),
        409: problem('The status cannot change that way'),
        422: problem('Invalid request'),
        503: problem('Status lists unavailable'),
      },
    },
  });
  add('/status-lists/{id}', {
    get: {
      operationId: 'getStatusList',
      tags: ['vc-api'],
      summary: 'A BitstringStatusListCredential (JSON, or application/vc+jwt)',
      parameters: [idParam('id')],
      responses: {
        200: {
          description: 'The status list credential',
          content: {
            'application/json': { schema: { type: 'object' } },
            'application/vc+jwt': { schema: { type: 'string' } },
          },
        },
        404: problem('No such list'),
        503: problem('Status lists unavailable'),
      },
    },
  });
  add('/registry/status/{id}', {
    get: {
      ...(paths['/status-lists/{id}'] as { get: Json }).get,
      operationId: 'getRegistryStatusList',
      summary: 'The same list at the URL the ledger writes into credentials',
    },
  });
  add('/vc-api/status/{id}', {
    get: {
      ...(paths['/status-lists/{id}'] as { get: Json }).get,
      operationId: 'getVcApiStatusList',
      summary:
        'A status list of the VC-API issuer (revocation or suspension), signed as did:web:<host>:vc-api (JSON, or application/vc+jwt)',
    },
  });
  add('/.well-known/did.json', {
    get: {
      operationId: 'didDocument',
      tags: ['did'],
      summary:
        "The registry's did:web DID document (every key, rotation included); also served at the path its DID names. The VC-API issuer's (did:web:<host>:vc-api) is at /vc-api/did.json",
      responses: {
        200: { description: 'DID document', content: { 'application/did+json': { schema: { type: 'object' } } } },
      },
    },
  });
  for (const path of ownArtefactPaths()) {
    add(path, {
      get: {
        operationId: `artefact_${path.replace(/[^A-Za-z0-9]+/g, '_')}`,
        tags: ['artefacts'],
        summary: `Published at https://w3id.org${path}`,
        responses: {
          200: {
            description: 'The JSON-LD context or JSON Schema',
            content: {
              'application/ld+json': { schema: { type: 'object' } },
              'application/schema+json': { schema: { type: 'object' } },
            },
          },
        },
      },
    });
  }
  add('/verify', {
    get: {
      operationId: 'verifierPage',
      tags: ['pages'],
      summary: "The web verifier (choose or drop a file, paste, or ?url= one of this registry's URLs)",
      parameters: [{ name: 'url', in: 'query', schema: { type: 'string' } }],
      responses: { 200: { description: 'HTML', content: { 'text/html': { schema: { type: 'string' } } } } },
    },
    post: {
      operationId: 'verifierVerdict',
      tags: ['pages'],
      summary:
        'The verdict on a credential given as text (`input`), rendered as HTML: a fragment for a JSON body (the page script), the whole page for a form post',
      requestBody: {
        required: true,
        content: {
          'application/json': {
            schema: { type: 'object', required: ['input'], properties: { input: { type: 'string' } } },
          },
          'application/x-www-form-urlencoded': {
            schema: { type: 'object', required: ['input'], properties: { input: { type: 'string' } } },
          },
        },
      },
      responses: {
        200: {
          description: 'HTML: the verdict (also when not verified)',
          content: { 'text/html': { schema: { type: 'string' } } },
        },
        400: problem('No input, or a malformed JSON body'),
        413: problem('Body over 1 MB'),
        415: problem('Neither application/json nor a form'),
      },
    },
  });
  add('/assets/statement.js', {
    get: {
      operationId: 'statementScript',
      tags: ['pages'],
      summary: 'The statement page script (print)',
      responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } } },
    },
  });
  add('/offline', {
    get: {
      operationId: 'offlineVerifier',
      tags: ['pages'],
      summary: 'The offline verifier (runs in the browser; redirects to /offline/)',
      responses: {
        200: { description: 'The page (HTML)', content: { 'text/html': { schema: { type: 'string' } } } },
        301: { description: 'To /offline/ (its files are relative to the folder)' },
        503: problem('OFFLINE_VERIFIER_NOT_BUILT: run npm run build'),
      },
    },
  });
  add('/offline/{file}', {
    get: {
      operationId: 'offlineVerifierFile',
      tags: ['pages'],
      summary: 'A file of the offline verifier: index.html, app.js, sw.js, manifest.webmanifest, icon.svg',
      parameters: [
        {
          name: 'file',
          in: 'path',
          required: true,
          schema: { enum: ['index.html', 'app.js', 'sw.js', 'manifest.webmanifest', 'icon.svg'] },
        },
      ],
      responses: {
        200: { description: 'The file as npm run build wrote it' },
        404: problem('Not one of its files'),
        503: problem('OFFLINE_VERIFIER_NOT_BUILT: run npm run build'),
      },
    },
  });
  add('/assets/verifier.js', {
    get: {
      operationId: 'verifierScript',
      tags: ['pages'],
      summary: 'The verifier page script',
      responses: { 200: { description: 'JavaScript', content: { 'text/javascript': { schema: { type: 'string' } } } } },
    },
  });
  add('/', {
    get: {
      operationId: 'home',
      tags: ['pages'],
      summary: 'Home page (HTML) or the registry identity (JSON)',
      responses: {
        200: {
          description: 'HTML or JSON',
          content: { 'text/html': { schema: { type: 'string' } }, 'application/json': { schema: { type: 'object' } } },
        },
      },
    },
  });
  for (const [path, item] of Object.entries(overviewOpenApiPaths())) add(path, item);
  add('/openapi.json', {
    get: { operationId: 'openapi', tags: ['meta'], summary: 'This document', responses: { 200: json('OpenAPI 3.1') } },
  });
  add('/healthz', {
    get: {
      operationId: 'health',
      tags: ['meta'],
      summary: 'Liveness and database check',
      responses: { 200: json('OK'), 503: problem('The database does not answer') },
    },
  });

  return {
    openapi: '3.1.0',
    info: {
      title: 'untp-credits registry and verifier',
      version: '1',
      description:
        'W3C VC-API (VCALM) issue/verify/status, the credit registry API, did:web, status lists and public retirement statements. Errors are RFC 9457 problem+json with a stable `code`.',
    },
    servers: [{ url: serverUrl }],
    paths,
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API key (untp-credits apikey create --scope …)' },
      },
      schemas: {
        Problem: {
          type: 'object',
          required: ['type', 'title', 'status', 'code'],
          properties: {
            type: { type: 'string' },
            title: { type: 'string' },
            status: { type: 'integer' },
            detail: { type: 'string' },
            // The error catalogue (docs/errors.md): the only codes a problem carries.
            code: { type: 'string', enum: Object.keys(ERROR_CATALOGUE) },
            path: { type: 'string' },
            errors: { type: 'array' },
          },
        },
        VerificationReport: {
          type: 'object',
          required: ['verified', 'kind', 'format', 'issuer', 'credential', 'steps', 'warnings'],
          properties: {
            verified: { type: 'boolean' },
            kind: { enum: ['credential', 'presentation'] },
            format: { type: ['string', 'null'] },
            issuer: { type: ['string', 'null'] },
            credential: { type: ['object', 'null'] },
            steps: {
              type: 'array',
              items: {
                type: 'object',
                required: ['name', 'ok'],
                properties: {
                  name: { type: 'string' },
                  ok: { type: 'boolean' },
                  code: { type: 'string' },
                  message: { type: 'string' },
                },
              },
            },
            warnings: { type: 'array' },
            credentials: { type: 'array' },
          },
        },
      },
    },
  };
}
