import { readFileSync } from 'node:fs';
import { rawRequest } from './server.js';

/**
 * Conflicting registry writes over HTTP (the registry API with Idempotency-Key), for the server
 * fault tests. Request (lane, i) is always the same body under the same key.
 */

const example = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(new URL(`../../../examples/api/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;

export const HTTP_PREFIX = 'HTTPFAULT';
export const HTTP_SUPPLY = 2000;
export const HTTP_A = 'ACC-FAULT-A';
export const HTTP_B = 'ACC-FAULT-B';

export interface HttpCommand {
  key: string;
  path: string;
  body: Record<string, unknown>;
}

export function seedCommands(tag: string): HttpCommand[] {
  return [
    { key: `${tag}-open-a`, path: '/registry/accounts', body: { ...example('account-coop'), accountId: HTTP_A } },
    { key: `${tag}-open-b`, path: '/registry/accounts', body: { ...example('account-buyer'), accountId: HTTP_B } },
    {
      key: `${tag}-issue`,
      path: '/registry/issuances',
      body: {
        ...example('issuance'),
        issuanceId: `${tag}-ISS`,
        prefix: HTTP_PREFIX,
        quantity: HTTP_SUPPLY,
        holder: HTTP_A,
      },
    },
  ];
}

export function httpCommandOf(tag: string, lane: number, i: number): HttpCommand {
  const key = `${tag}-${lane}-${i}`;
  const retirement = example('retirement');
  const pick = (lane * 7 + i * 13) % 10;
  if (pick < 5) {
    const slot = (lane * 11 + i * 3) % 40; // other lanes ask for the same five-serial slots
    const { quantity: _q, issuanceId: _i, ...rest } = retirement;
    return {
      key,
      path: '/registry/retirements',
      body: {
        ...rest,
        account: HTTP_A,
        retirementId: `RET-${key}`,
        ranges: [{ prefix: HTTP_PREFIX, start: 1 + slot * 5, end: 5 + slot * 5 }],
      },
    };
  }
  if (pick < 8)
    return {
      key,
      path: '/registry/transfers',
      body: { from: i % 2 === 0 ? HTTP_A : HTTP_B, to: i % 2 === 0 ? HTTP_B : HTTP_A, quantity: 1 + (i % 4) },
    };
  const { issuanceId: _i, ...rest } = retirement;
  return {
    key,
    path: '/registry/retirements',
    body: { ...rest, account: i % 3 === 0 ? HTTP_A : HTTP_B, retirementId: `RET-${key}`, quantity: 1 + (i % 3) },
  };
}

export function send(port: number, adminKey: string, command: HttpCommand, timeoutMs = 30_000) {
  return rawRequest(port, 'POST', command.path, {
    headers: {
      'content-type': 'application/json',
      authorization: `Bearer ${adminKey}`,
      'idempotency-key': command.key,
    },
    body: JSON.stringify(command.body),
    timeoutMs,
  });
}
