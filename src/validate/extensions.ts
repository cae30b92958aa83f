/**
 * An extension credential type: listed before the UNTP core type in `type`, it must validate
 * against its own schema AND the core schema.
 */
export interface ExtensionType {
  /** The extension type name, e.g. CreditIssuanceCredential. */
  type: string;
  /** The UNTP core type it extends, e.g. DigitalConformityCredential. */
  extends: string;
  /** Its JSON Schema URL (the schema must be in the artefact registry). */
  schemaUrl: string;
  /** Its JSON-LD context URL, when it has one. */
  contextUrl?: string;
}

/** Extension types known out of the box (the credit credentials register here). */
export const BUILTIN_EXTENSIONS: readonly ExtensionType[] = [
  {
    type: 'CreditIssuanceCredential',
    extends: 'DigitalConformityCredential',
    schemaUrl: 'https://w3id.org/untp-credits/schema/v1/CreditIssuanceCredential.json',
    contextUrl: 'https://w3id.org/untp-credits/context/v1',
  },
  {
    type: 'CreditRetirementCredential',
    extends: 'DigitalConformityCredential',
    schemaUrl: 'https://w3id.org/untp-credits/schema/v1/CreditRetirementCredential.json',
    contextUrl: 'https://w3id.org/untp-credits/context/v1',
  },
  {
    type: 'PremiumAllocationCredential',
    extends: 'DigitalConformityCredential',
    schemaUrl: 'https://w3id.org/untp-credits/schema/v1/PremiumAllocationCredential.json',
    contextUrl: 'https://w3id.org/untp-credits/impact/context/v1',
  },
];
