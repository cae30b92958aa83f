/**
 * The fictional product passports of the examples (examples/cases.ts) and of `untp-credits demo`:
 * UNTP 0.7.0 DPPs before a retirement claim is added (addRetirementClaim). Every organisation,
 * identifier and domain here is fictional; DIDs and URLs use the reserved `.example` top-level domain.
 */

/** The battery maker that retires cobalt credits for its packs. */
export const ELBE_DID = 'did:web:elbe-cells.example';
/** The cable maker that retires copper credits for its cables. */
export const LINDQVIST_DID = 'did:web:lindqvist-kabel.example';

export const COBALT_DPP_URL = 'https://passports.elbe-cells.example/dpp/ecw-75-2026';
export const COBALT_PRODUCT_ID = 'https://id.elbe-cells.example/01/09506000134352';
export const COPPER_DPP_URL = 'https://passports.lindqvist-kabel.example/dpp/lk-ev35-2026';
export const COPPER_PRODUCT_ID = 'https://id.lindqvist-kabel.example/01/07350053850019';

interface PassportParts {
  id: string;
  issuer: { id: string; name: string };
  validFrom: string;
  name: string;
  product: {
    id: string;
    name: string;
    modelNumber: string;
    /** UN CPC v2.1 class. */
    category: { code: string; name: string };
    facility: { id: string; name: string };
    country: { countryCode: string; countryName: string };
  };
}

/** A GTIN-identified product model's passport (the examples' shape, member order included). */
function passport({ id, issuer, validFrom, name, product }: PassportParts): Record<string, unknown> {
  return {
    '@context': ['https://www.w3.org/ns/credentials/v2', 'https://vocabulary.uncefact.org/untp/0.7.0/context/'],
    type: ['DigitalProductPassport', 'VerifiableCredential'],
    id,
    issuer: { type: ['CredentialIssuer'], id: issuer.id, name: issuer.name },
    validFrom,
    name,
    credentialSubject: {
      type: ['Product'],
      id: product.id,
      name: product.name,
      idScheme: { type: ['IdentifierScheme'], id: 'https://id.gs1.org/01/', name: 'GS1 GTIN' },
      modelNumber: product.modelNumber,
      idGranularity: 'model',
      productCategory: [
        {
          ...product.category,
          schemeId: 'https://unstats.un.org/unsd/classifications/Econ/cpc/',
          schemeName: 'UN Central Product Classification (CPC) v2.1',
        },
      ],
      producedAtFacility: { type: ['Facility'], id: product.facility.id, name: product.facility.name },
      countryOfProduction: product.country,
    },
  };
}

/** The ECW-75 battery pack's passport (Elbe Cell Works, 2026), which cites the cobalt retirement. */
export function batteryPassport(): Record<string, unknown> {
  return passport({
    id: COBALT_DPP_URL,
    issuer: { id: ELBE_DID, name: 'Elbe Cell Works GmbH (fictional)' },
    validFrom: '2026-06-20T08:00:00Z',
    name: 'Digital product passport — ECW-75 battery pack (2026)',
    product: {
      id: COBALT_PRODUCT_ID,
      name: 'ECW-75 NMC811 75 kWh EV battery pack, 2026 production (fictional)',
      modelNumber: 'ECW-75-2026',
      category: { code: '46410', name: 'Primary cells and primary batteries' },
      facility: {
        id: 'https://id.elbe-cells.example/414/4063206000014',
        name: 'Elbe Cell Works pack assembly plant, Magdeburg (fictional)',
      },
      country: { countryCode: 'DE', countryName: 'Germany' },
    },
  });
}

/** The LK-EV35 charging cable's passport (Lindqvist Kabel, 2026), which cites the copper retirement. */
export function cablePassport(): Record<string, unknown> {
  return passport({
    id: COPPER_DPP_URL,
    issuer: { id: LINDQVIST_DID, name: 'Lindqvist Kabel AB (fictional)' },
    validFrom: '2026-09-10T08:00:00Z',
    name: 'Digital product passport — LK-EV35 charging cable (2026)',
    product: {
      id: COPPER_PRODUCT_ID,
      name: 'LK-EV35 Mode 3 EV charging cable, 2026 production (fictional)',
      modelNumber: 'LK-EV35',
      category: { code: '46340', name: 'Other electric conductors, for a voltage not exceeding 1000 V' },
      facility: {
        id: 'https://id.lindqvist-kabel.example/414/7350053850002',
        name: 'Lindqvist Kabel plant, Västerås (fictional)',
      },
      country: { countryCode: 'SE', countryName: 'Sweden' },
    },
  });
}
