import type { Command } from 'commander';
import { readFileSync, writeFileSync } from 'node:fs';
import { checkCoverage } from '../footprint/coverage.js';
import { productsFromCsv, unitsSoldFromCsv } from '../footprint/csv.js';
import { draftRetirementRequest } from '../footprint/draft.js';
import {
  computeFootprint,
  type FootprintCommodity,
  type MaterialMatch,
  type UnitsSoldRow,
} from '../footprint/footprint.js';
import { formatCoverage, formatFootprint } from '../footprint/text.js';
import { endOnError, exitForCheck } from './exit.js';

type Out = (line: string) => void;
const stdout: Out = (l) => process.stdout.write(l + '\n');
const stderr: Out = (l) => process.stderr.write(l + '\n');

const IUPAC = {
  schemeId: 'https://iupac.org/what-we-do/periodic-table-of-elements/',
  schemeName: 'Chemical element symbol (IUPAC)',
};
/** Commodities the scheme credits, by element symbol (the credit unit's commodity code). */
export const KNOWN_COMMODITIES: Readonly<Record<string, FootprintCommodity>> = {
  Co: { code: 'Co', name: 'Cobalt', ...IUPAC },
  Cu: { code: 'Cu', name: 'Copper', ...IUPAC },
};

export interface FootprintCliOptions {
  dpp?: string[];
  unitsSold?: string;
  products?: string;
  commodity: string;
  material?: string[];
  tonnesPerCredit?: string;
  period?: string;
  draft?: string;
  account?: string;
  beneficiary?: string;
  market?: string[];
  allowedClaim?: string;
  retirement?: string[];
  json?: boolean;
}

const text = (file: string): string => readFileSync(file === '-' ? 0 : file, 'utf8');

/** `CODE[@schemeId][=fraction]` → a material match. */
function materialOf(spec: string): MaterialMatch {
  const m = /^([^@=]+)(?:@([^=]+))?(?:=(.+))?$/.exec(spec);
  if (m === null || m[1] === undefined)
    throw new Error(`--material ${spec}: expected CODE[@schemeId][=contentFraction]`);
  return { code: m[1], ...(m[2] ? { schemeId: m[2] } : {}), ...(m[3] ? { contentFraction: m[3] } : {}) };
}

/** Units sold as JSON (an array of { productId, period, units }) or CSV. */
function unitsSoldOf(file: string, period: string | undefined): UnitsSoldRow[] {
  const body = text(file);
  return body.trimStart().startsWith('[') ? (JSON.parse(body) as UnitsSoldRow[]) : unitsSoldFromCsv(body, period);
}

/**
 * `untp-credits footprint`: a buyer's footprint of one commodity per period, from passports plus a
 * units-sold table and/or a products CSV; optionally a draft retirement request (--draft) and a
 * coverage check against retirements (--retirement). Exit 0 done (coverage complete), 1 coverage
 * incomplete, 2 unreadable or invalid input.
 */
export function runFootprint(options: FootprintCliOptions, out: Out = stdout, err: Out = stderr): number {
  try {
    const commodity = KNOWN_COMMODITIES[options.commodity] ?? { code: options.commodity, name: options.commodity };
    const footprint = computeFootprint(
      {
        dpps: (options.dpp ?? []).map((f) => {
          const body = text(f).trim();
          return body.startsWith('{') ? (JSON.parse(body) as unknown) : body;
        }),
        ...(options.unitsSold ? { unitsSold: unitsSoldOf(options.unitsSold, options.period) } : {}),
        ...(options.products ? { products: productsFromCsv(text(options.products), options.period) } : {}),
      },
      {
        commodity,
        ...(options.material?.length ? { materials: options.material.map(materialOf) } : {}),
        ...(options.tonnesPerCredit ? { tonnesPerCredit: options.tonnesPerCredit } : {}),
      },
    );
    const coverage = options.retirement?.length
      ? checkCoverage(
          footprint,
          options.retirement.map((f) => {
            const body = text(f).trim();
            return body.startsWith('{') ? (JSON.parse(body) as unknown) : body;
          }),
        )
      : undefined;
    if (options.draft) {
      const draft = draftRetirementRequest(footprint, {
        ...(options.period ? { period: options.period } : {}),
        ...(options.account ? { account: options.account } : {}),
        ...(options.beneficiary
          ? { beneficiary: JSON.parse(text(options.beneficiary)) as Record<string, unknown> }
          : {}),
        ...(options.market?.length ? { market: options.market } : {}),
        ...(options.allowedClaim ? { allowedClaim: options.allowedClaim } : {}),
      });
      writeFileSync(options.draft, JSON.stringify(draft, null, 2) + '\n');
    }
    if (options.json) out(JSON.stringify(coverage ? { footprint, coverage } : { footprint }, null, 2));
    else {
      out(formatFootprint(footprint));
      if (options.draft) out(`Draft retirement request written to ${options.draft}`);
      if (coverage) {
        out('');
        out(formatCoverage(coverage));
      }
    }
    return exitForCheck(!coverage || coverage.complete);
  } catch (error) {
    return endOnError('footprint', error, err);
  }
}

const collect = (value: string, previous: string[] = []): string[] => [...previous, value];

export function registerFootprint(program: Command): void {
  program
    .command('footprint')
    .description(
      "a buyer's footprint of a commodity per period (from passports and units sold, or a products CSV), the whole credits to retire, a draft retirement request, and a coverage check",
    )
    .option('--dpp <file>', 'a UNTP 0.7.0 product passport (repeatable; unsigned, enveloped or JWS)', collect)
    .option('--units-sold <file>', 'units sold: CSV productId,period,units or a JSON array')
    .option('--products <file>', 'products CSV: productId,period,unitsSold,kgPerUnit[,name]')
    .requiredOption('--commodity <code>', 'commodity code (Co, Cu)')
    .option(
      '--material <CODE[@scheme][=fraction]>',
      "a material classification that counts, with the commodity's content fraction (repeatable)",
      collect,
    )
    .option('--tonnes-per-credit <t>', 'tonnes per credit', '1')
    .option('--period <period>', 'the period to draft for (and the default period of tables without one)')
    .option('--draft <file>', 'write a draft retirement request for the period')
    .option('--account <account>', 'the retiring account (draft)')
    .option('--beneficiary <file>', 'the beneficiary party as JSON (draft)')
    .option('--market <code>', 'a market where the claim is made (draft, repeatable)', collect)
    .option('--allowed-claim <text>', 'the claim wording (draft)')
    .option('--retirement <file>', 'a retirement credential to check coverage against (repeatable)', collect)
    .option('--json', 'print JSON')
    .addHelpText(
      'after',
      '\nExamples:\n  untp-credits footprint --commodity Co --dpp examples/footprint/ecw-75-dpp.json --dpp examples/footprint/ecw-50-dpp.json --units-sold examples/footprint/units-sold.csv\n  untp-credits footprint --commodity Co --products examples/footprint/products.csv --retirement examples/cobalt/retirement.signed.json\n',
    )
    .action((options: FootprintCliOptions) => {
      process.exitCode = runFootprint(options);
    });
}
