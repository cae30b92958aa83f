/**
 * One JSON Schema (2020-12) per command body of the registry API: what `executeCommand` checks
 * before the ledger sees a body, and what the OpenAPI document publishes as each request body.
 *
 * The schemas check shape and types (and that quantities are safe positive integers). The rules of
 * the ledger itself — an id's alphabet, a required reason, one selection at a time — stay with the
 * ledger, which refuses them with their own codes. Issuances, retirements, amendments and
 * corrections carry the credential's content beside the ledger's members (or in `details`), so
 * those bodies admit other members; the other bodies do too, as they always have.
 */

export type JsonSchema = Record<string, unknown>;

/** The ledger commands: one write route and one CLI verb each. */
export const LEDGER_COMMAND_NAMES = [
  'openAccount',
  'issue',
  'transfer',
  'retire',
  'amend',
  'suspend',
  'unsuspend',
  'cancel',
  'invalidate',
  'correct',
  'allocate',
] as const;
export type LedgerCommand = (typeof LEDGER_COMMAND_NAMES)[number];

const text = (description: string): JsonSchema => ({ type: 'string', minLength: 1, description });
const anyText = (description: string): JsonSchema => ({ type: 'string', description });
/** A count of credits (tonnes): a positive safe integer, so sums are never rounded. */
const count = (description: string): JsonSchema => ({
  type: 'integer',
  minimum: 1,
  maximum: Number.MAX_SAFE_INTEGER,
  description,
});
const serial = (description: string): JsonSchema => ({
  type: 'integer',
  minimum: -Number.MAX_SAFE_INTEGER,
  maximum: Number.MAX_SAFE_INTEGER,
  description,
});

/** A run of serial numbers `prefix`-`start` … `prefix`-`end`. */
export const SERIAL_RANGE_SCHEMA: JsonSchema = {
  type: 'object',
  description: 'Serial numbers prefix-start … prefix-end (inclusive)',
  required: ['prefix', 'start', 'end'],
  properties: {
    prefix: anyText('The serial prefix of the issuance'),
    start: serial('First serial number'),
    end: serial('Last serial number'),
  },
};

const details: JsonSchema = {
  type: 'object',
  description:
    "The credential's content beyond the ledger's members; when absent, the body's other members are the content",
};

/** Which units a command moves: a quantity (within `issuanceId(s)`, oldest first), or serial ranges. */
const selection: Record<string, JsonSchema> = {
  quantity: count('How many units (tonnes); the oldest held serials first'),
  issuanceId: text('Take the units from this issuance only'),
  issuanceIds: { type: 'array', items: { type: 'string' }, description: 'Take the units from these issuances only' },
  serialBlock: SERIAL_RANGE_SCHEMA,
  ranges: { type: 'array', items: SERIAL_RANGE_SCHEMA, description: 'Exactly these serial ranges' },
};

const reason = anyText('Why (kept in the event log)');

/** A block of a retirement: a quantity of one issuance, or exact serials. */
const RETIREMENT_BLOCK_SCHEMA: JsonSchema = {
  type: 'object',
  description: '{ issuanceId, quantity } or { serialBlock }',
  if: { required: ['serialBlock'] },
  then: { properties: { serialBlock: SERIAL_RANGE_SCHEMA } },
  else: {
    required: ['issuanceId', 'quantity'],
    properties: { issuanceId: text('The issuance'), quantity: count('How many units of it') },
  },
};

const body = (description: string, required: string[], properties: Record<string, JsonSchema>): JsonSchema => ({
  $schema: 'https://json-schema.org/draft/2020-12/schema',
  type: 'object',
  description,
  required,
  properties,
});

/** The request body of each ledger command. */
export const COMMAND_SCHEMAS: Record<LedgerCommand, JsonSchema> = {
  openAccount: body('Open an account', ['accountId'], {
    accountId: text('The account id (letters, digits, ._:-)'),
    holder: {
      type: 'object',
      description: 'Who holds the account',
      properties: { id: anyText('The holder id (a DID or URL)'), name: anyText('The holder name') },
    },
  }),
  issue: body('Issue credits: a serial block to an account, with its issuance credential', ['issuanceId', 'holder'], {
    issuanceId: text('The issuance id'),
    holder: text('The account that receives the credits'),
    prefix: text('The serial prefix (default: the issuance id)'),
    quantity: count('How many credits (tonnes); or give start and end'),
    start: serial('First serial number (default 1)'),
    end: serial('Last serial number (default start + quantity − 1)'),
    details,
  }),
  transfer: body('Move credits from one account to another', ['from', 'to'], {
    from: text('The debited account'),
    to: text('The credited account'),
    ...selection,
  }),
  retire: body("Retire credits against one buyer's claim", ['account'], {
    account: text('The retiring account'),
    retirementId: text('The retirement id (default: one is made)'),
    blocks: { type: 'array', minItems: 1, items: RETIREMENT_BLOCK_SCHEMA, description: 'The units, block by block' },
    ...selection,
    details,
  }),
  amend: body('Replace a retirement credential (same units), revoking the old one', ['retirementId'], {
    retirementId: text('The retirement to amend'),
    newRetirementId: text('The id of the amended retirement'),
    reason,
    details,
  }),
  suspend: body('Suspend units of an account', ['account'], { account: text('The account'), reason, ...selection }),
  unsuspend: body('Lift a suspension', ['account'], { account: text('The account'), reason, ...selection }),
  cancel: body('Cancel units of an issuance', ['issuanceId'], {
    issuanceId: text('The issuance'),
    reason,
    quantity: selection.quantity as JsonSchema,
    serialBlock: SERIAL_RANGE_SCHEMA,
    ranges: selection.ranges as JsonSchema,
  }),
  invalidate: body('Invalidate a retirement (its units stay retired, marked invalidated)', ['retirementId'], {
    retirementId: text('The retirement'),
    reason,
  }),
  correct: body('Replace an issuance by a corrected one (its unretired units move over)', ['issuanceId'], {
    issuanceId: text('The issuance to correct'),
    newIssuanceId: text('The id of the corrected issuance'),
    reason,
    details,
  }),
  allocate: {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    type: 'object',
    description:
      'A premium allocation report: the unsigned PremiumAllocationCredential draft `impact build` prints. The ledger sets its id, issuer, validFrom, record URL and status entry, checks the retirements it cites (by the digest of their credentials), then signs it',
    required: ['type', 'credentialSubject'],
    properties: {
      type: { type: 'array', contains: { const: 'PremiumAllocationCredential' }, description: 'The credential types' },
      credentialSubject: {
        type: 'object',
        required: ['premiumAllocation'],
        properties: { premiumAllocation: { type: 'object', description: 'The report (docs/impact.md)' } },
      },
    },
  },
};

/** POST /registry/retirements/{id}/disclosures: release a withheld field. */
export const DISCLOSURE_RELEASE_SCHEMA: JsonSchema = body('Release a withheld field of a retirement', ['disclosure'], {
  disclosure: { type: 'string', minLength: 1, maxLength: 16_384, description: 'The disclosure kept at retirement' },
  commitment: {
    type: 'string',
    pattern: '^/',
    description: 'JSON pointer of the commitment; default /credentialSubject/creditRetirement/withheldBeneficiary',
  },
  early: { type: 'boolean', description: 'Release before the date the retirement set' },
});
