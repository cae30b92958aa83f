import type { Issue } from './report.js';

/** UNTP credential and document types, their short codes and schema URLs per version. */
const UNTP_TYPES: Record<string, string> = {
  DigitalProductPassport: 'dpp',
  DigitalConformityCredential: 'dcc',
  DigitalFacilityRecord: 'dfr',
  DigitalIdentityAnchor: 'dia',
  DigitalTraceabilityEvent: 'dte',
  ConformityScheme: 'cvc',
  ConformitySchemeVocabulary: 'svc',
};

const SCHEMA_FILES_070: Record<string, string> = {
  dpp: 'dpp/DigitalProductPassport.json',
  dcc: 'dcc/ConformityCredential.json',
  dfr: 'dfr/DigitalFacilityRecord.json',
  dia: 'dia/DigitalIdentityAnchor.json',
  dte: 'dte/DigitalTraceabilityEvent.json',
  cvc: 'cvc/ConformityScheme.json',
};

export const SUPPORTED_UNTP_VERSIONS = ['0.7.0', '0.6.1'] as const;

const CONTEXT_070_STYLE = /^https:\/\/vocabulary\.uncefact\.org\/untp\/(\d+\.\d+\.\d+)\/context\/?$/;
const CONTEXT_06X_STYLE =
  /^https:\/\/test\.uncefact\.org\/vocabulary\/untp\/(dpp|dcc|dfr|dia|dte|svc|core)\/(\d+\.\d+\.\d+)\/(context\/)?$/;

/** The schema URL of a UNTP type code at a version, or undefined when UNTP publishes none. */
export function untpSchemaUrl(code: string, version: string): string | undefined {
  if (version === '0.7.0') {
    const file = SCHEMA_FILES_070[code];
    return file && `https://untp.unece.org/artefacts/schema/v0.7.0/${file}`;
  }
  if (version === '0.6.1' && code !== 'cvc')
    return `https://test.uncefact.org/vocabulary/untp/${code}/untp-${code}-schema-0.6.1.json`;
  return undefined;
}

export interface Detection {
  /** The first (most specific) type. */
  credentialType: string | null;
  /** The UNTP core type found in `type`, if any. */
  untpType: string | null;
  untpCode: string | null;
  untpVersion: string | null;
  /** Types listed before the UNTP core type: extensions of it. */
  extensionTypes: string[];
  schemaUrl: string | null;
  issues: Issue[];
}

function typesOf(document: Record<string, unknown>): string[] {
  const type = document.type ?? document['@type'];
  if (typeof type === 'string') return [type];
  return Array.isArray(type) ? type.filter((t): t is string => typeof t === 'string') : [];
}

/**
 * Reads the UNTP type from `type` and the version from the UNTP context URL — the same rule
 * UNTP's own test tools apply, so emit context URLs exactly.
 */
export function detectUntp(document: Record<string, unknown>): Detection {
  const types = typesOf(document);
  const detection: Detection = {
    credentialType: types[0] ?? null,
    untpType: null,
    untpCode: null,
    untpVersion: null,
    extensionTypes: [],
    schemaUrl: null,
    issues: [],
  };
  const index = types.findIndex((t) => t in UNTP_TYPES);
  const contexts = Array.isArray(document['@context']) ? document['@context'] : [document['@context']];
  const versions = new Map<string, number>();
  contexts.forEach((context, i) => {
    if (typeof context !== 'string') return;
    const modern = CONTEXT_070_STYLE.exec(context);
    const legacy = CONTEXT_06X_STYLE.exec(context);
    const version = modern?.[1] ?? legacy?.[2];
    if (version && !versions.has(version)) versions.set(version, i);
  });
  if (index === -1) return detection;

  const untpType = types[index] as string;
  detection.untpType = untpType;
  detection.untpCode = UNTP_TYPES[untpType] ?? null;
  detection.extensionTypes = types.slice(0, index);
  if (versions.size === 0) {
    detection.issues.push({
      code: 'UNTP_CONTEXT_MISSING',
      path: '/@context',
      message: `type ${untpType} is a UNTP type but no UNTP context is present, so the UNTP version cannot be told`,
    });
    return detection;
  }
  if (versions.size > 1) {
    detection.issues.push({
      code: 'UNTP_VERSION_MIXED',
      path: '/@context',
      message: `contexts of several UNTP versions are mixed: ${[...versions.keys()].join(', ')}`,
    });
  }
  const [version, position] = [...versions.entries()][0] as [string, number];
  detection.untpVersion = version;
  if (!(SUPPORTED_UNTP_VERSIONS as readonly string[]).includes(version)) {
    detection.issues.push({
      code: 'UNTP_VERSION_UNSUPPORTED',
      path: `/@context/${position}`,
      message: `UNTP version ${version} is not supported (supported: ${SUPPORTED_UNTP_VERSIONS.join(', ')})`,
    });
    return detection;
  }
  const url = detection.untpCode ? untpSchemaUrl(detection.untpCode, version) : undefined;
  if (url) detection.schemaUrl = url;
  else
    detection.issues.push({
      code: 'UNTP_SCHEMA_UNKNOWN',
      path: '/type',
      message: `UNTP ${version} publishes no schema for ${untpType}`,
    });
  return detection;
}
