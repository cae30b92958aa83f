import pg from 'pg';
import { expect, it } from 'vitest';
import { describePostgres } from '../support/postgres.js';

describePostgres('PostgreSQL for the registry', (url) => {
  it('answers and is version 15 or later (the dialect the migrations keep to)', async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
    await client.connect();
    try {
      const { rows } = await client.query<{ server_version_num: string }>('SHOW server_version_num');
      expect(Number(rows[0]?.server_version_num)).toBeGreaterThanOrEqual(150000);
    } finally {
      await client.end();
    }
  });
});
