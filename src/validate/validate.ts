import { decodeJwt } from 'jose/jwt/decode';
import { ArtefactRegistry } from '../artefacts/registry.js';
import { SchemaValidator } from '../artefacts/schemas.js';
import { createJsonLdProcessor } from '../jsonld/create.js';
import type { JsonLdProcessor } from '../jsonld/types.js';
import { resolveDisclosures } from '../secure/sd-jwt/verify.js';
import { decodeSdJwt, sdJwtOfInput } from '../secure/sd-jwt/decode.js';
import { detectUntp } from './detect.js';
import { BUILTIN_EXTENSIONS, type ExtensionType } from './extensions.js';
import type { ValidateOptions } from './options.js';
import type { Issue, ValidationReport } from './report.js';
import { isUntpCreditsError } from '../errors.js';
import { checkVcdm, VCDM2_CONTEXT } from './vcdm.js';
import { checkRelatedResources } from './related-resource.js';
import { checkVcdm11, isVcdm11, VCDM11_CONTEXT } from './vcdm11.js';
import { tolerateWithheld } from './withheld.js';

export const W3C_VC_SCHEMA = 'https://www.w3.org/2022/credentials/v2/verifiable-credential-schema.json';
const ENVELOPE_PREFIX = 'data:application/vc+jwt,';

const schemaValidators = new WeakMap<ArtefactRegistry, SchemaValidator>();
const jsonLdProcessors = new WeakMap<ArtefactRegistry, JsonLdProcessor>();

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function typesOf(document: Record<string, unknown>): string[] {
  const type = document.type;
  return typeof type === 'string'
    ? [type]
    : Array.isArray(type)
      ? type.filter((t): t is string => typeof t === 'string')
      : [];
}

/**
 * Validates an unsecured (or already decoded) credential, offline: VCDM 2.0 rules, the W3C VC
 * JSON Schema, the UNTP schema for the detected type and version, the schema of every registered
 * extension type (extensions must pass both), and JSON-LD safe-mode expansion. An enveloped
 * credential (`data:application/vc+jwt,…`) or a bare compact JWS is decoded first, with a warning
 * that its signature was not checked (use `verify` for that).
 *
 * Never throws on bad input: every finding is in the report.
 *
 * @example
 *   const report = await validate(JSON.parse(text));
 *   if (!report.valid) for (const e of report.errors) console.log(e.code, e.path, e.message);
 */
export async function validate(input: unknown, options: ValidateOptions = {}): Promise<ValidationReport> {
  let report: ValidationReport = {
    valid: false,
    credentialType: null,
    untpType: null,
    untpVersion: null,
    errors: [],
    warnings: [],
  };
  try {
    const sdJwt = sdJwtOfInput(input);
    if (sdJwt !== null) return await validateSdJwt(sdJwt, options, report);
    const document = unwrap(input, report);
    if (!document) return report;
    await validateDocument(document, options, report);
  } catch (error) {
    report.errors.push({
      code: 'INTERNAL_ERROR',
      path: '',
      message: `validation could not finish: ${(error as Error)?.message ?? String(error)}`,
    });
  }
  report = { ...report, valid: report.errors.length === 0 };
  return report;
}

/** An SD-JWT credential: its disclosed claims are validated; objects with undisclosed digests may lack members. */
async function validateSdJwt(
  compact: string,
  options: ValidateOptions,
  report: ValidationReport,
): Promise<ValidationReport> {
  let disclosed: { document: Record<string, unknown>; withheld: string[] };
  try {
    disclosed = await resolveDisclosures(await decodeSdJwt(compact));
  } catch (error) {
    const code = isUntpCreditsError(error) ? error.code : 'ENVELOPE_INVALID';
    report.errors.push({ code, path: '', message: `not a decodable SD-JWT: ${(error as Error).message}` });
    return report;
  }
  report.warnings.push({
    code: 'SIGNATURE_NOT_CHECKED',
    path: '',
    message:
      'the SD-JWT was decoded without checking its signature (use verify); pointers refer to its disclosed payload',
  });
  report.warnings.push(
    ...disclosed.withheld.map((path) => ({
      code: 'CLAIMS_MAY_BE_WITHHELD' as const,
      path,
      message: `claims may be withheld at ${path || '/'} (undisclosed SD-JWT digests)`,
    })),
  );
  await validateDocument(disclosed.document, options, report);
  return tolerateWithheld({ ...report, valid: report.errors.length === 0 }, disclosed.withheld);
}

/** Returns the credential to check, decoding an envelope; records why when there is none. */
function unwrap(input: unknown, report: ValidationReport): Record<string, unknown> | undefined {
  let jws: string | undefined;
  if (typeof input === 'string') jws = input.trim();
  else if (isObject(input) && typesOf(input).includes('EnvelopedVerifiableCredential')) {
    if (typeof input.id !== 'string' || !input.id.startsWith(ENVELOPE_PREFIX)) {
      report.errors.push({
        code: 'ENVELOPE_INVALID',
        path: '/id',
        message: `an EnvelopedVerifiableCredential's id must be a ${ENVELOPE_PREFIX}<JWS> data URL`,
      });
      return undefined;
    }
    jws = input.id.slice(ENVELOPE_PREFIX.length);
  }
  if (jws !== undefined) {
    try {
      const payload = decodeJwt(jws) as Record<string, unknown>;
      report.warnings.push({
        code: 'SIGNATURE_NOT_CHECKED',
        path: '',
        message:
          'the enveloped credential was decoded without checking its signature (use verify); pointers refer to its payload',
      });
      return payload;
    } catch (error) {
      report.errors.push({
        code: 'ENVELOPE_INVALID',
        path: typeof input === 'string' ? '' : '/id',
        message: `not a decodable compact JWS: ${(error as Error).message}`,
      });
      return undefined;
    }
  }
  if (!isObject(input)) {
    report.errors.push({
      code: 'NOT_AN_OBJECT',
      path: '',
      message: `a credential must be a JSON object, not ${Array.isArray(input) ? 'an array' : input === null ? 'null' : typeof input}`,
    });
    return undefined;
  }
  return input;
}

async function validateDocument(
  document: Record<string, unknown>,
  options: ValidateOptions,
  report: ValidationReport,
): Promise<void> {
  const registry = options.registry ?? ArtefactRegistry.bundled();
  const schemas =
    options.schemas ??
    cached(schemaValidators, registry, () =>
      registry === ArtefactRegistry.bundled() ? SchemaValidator.bundled() : new SchemaValidator(registry),
    );
  const jsonld = options.jsonld ?? cached(jsonLdProcessors, registry, () => createJsonLdProcessor(registry));
  await schemas.ready();

  const detection = detectUntp(document);
  report.credentialType = detection.credentialType;
  report.untpType = detection.untpType;
  report.untpVersion = detection.untpVersion;
  report.errors.push(...detection.issues);

  const types = typesOf(document);
  const isPlainUntpDocument =
    (detection.untpCode === 'cvc' || detection.untpCode === 'svc') && !types.includes('VerifiableCredential');
  if (types.includes('VerifiablePresentation')) {
    report.errors.push({
      code: 'NOT_A_CREDENTIAL',
      path: '/type',
      message: 'this is a presentation; verify it with verify() (each credential inside is validated there)',
    });
    return;
  }
  if (isVcdm11(document)) {
    // VC 1.1 (read for interoperability): its own rules, no VCDM 2.0 schema; never UNTP-conformant.
    report.errors.push(...checkVcdm11(document));
    if (detection.untpType !== null)
      report.errors.push({
        code: 'UNTP_REQUIRES_VCDM2',
        path: '/@context/0',
        message: `a UNTP ${detection.untpType} must use ${VCDM2_CONTEXT}, not ${VCDM11_CONTEXT}`,
      });
    report.warnings.push({
      code: 'VCDM_1_1',
      path: '/@context/0',
      message: 'a VC Data Model 1.1 credential: checked against VC 1.1, not UNTP-conformant (UNTP is VCDM 2.0)',
    });
  } else if (!isPlainUntpDocument) {
    report.errors.push(...checkVcdm(document));
    report.errors.push(...schemas.validate(W3C_VC_SCHEMA, document));
  }

  const checked = new Set<string>();
  const checkSchema = (url: string) => {
    if (checked.has(url)) return;
    checked.add(url);
    report.errors.push(...schemas.validate(url, document));
  };
  if (detection.schemaUrl) checkSchema(detection.schemaUrl);

  const known = new Map<string, ExtensionType>();
  for (const extension of [...BUILTIN_EXTENSIONS, ...(options.extensions ?? [])]) known.set(extension.type, extension);
  for (const type of detection.extensionTypes) {
    const extension = known.get(type);
    if (!extension) {
      report.warnings.push({
        code: 'EXTENSION_SCHEMA_UNKNOWN',
        path: '/type',
        message: `no schema is registered for extension type ${type}; only the core ${detection.untpType} schema was checked`,
      });
    } else if (extension.extends !== detection.untpType) {
      report.errors.push({
        code: 'EXTENSION_MISMATCH',
        path: '/type',
        message: `${type} extends ${extension.extends}, but the credential's UNTP type is ${detection.untpType}`,
      });
    } else {
      checkSchema(extension.schemaUrl);
    }
  }

  const declared = document.credentialSchema;
  const declaredList = declared === undefined ? [] : Array.isArray(declared) ? declared : [declared];
  declaredList.forEach((entry, i) => {
    if (!isObject(entry) || typeof entry.id !== 'string') return; // reported by the VCDM rules
    const path = Array.isArray(declared) ? `/credentialSchema/${i}/id` : '/credentialSchema/id';
    if (registry.kindOf(entry.id) === 'schema') checkSchema(entry.id);
    else
      report.warnings.push({
        code: 'CREDENTIAL_SCHEMA_UNAVAILABLE',
        path,
        message: `credentialSchema ${entry.id} is not bundled or registered, so it was not checked (no network loading)`,
      });
  });

  const related = checkRelatedResources(document, registry);
  report.errors.push(...related.errors);
  report.warnings.push(...related.warnings);

  const linked = await jsonld.check(document);
  report.errors.push(...linked.errors);
  for (const warning of linked.warnings)
    (options.strict && warning.code === 'JSONLD_VOCAB_TERM' ? report.errors : report.warnings).push(warning);
}

function cached<T>(map: WeakMap<ArtefactRegistry, T>, registry: ArtefactRegistry, make: () => T): T {
  let value = map.get(registry);
  if (value === undefined) {
    value = make();
    map.set(registry, value);
  }
  return value;
}

export type { Issue, ValidationReport };
