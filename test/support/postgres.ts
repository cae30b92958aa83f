import { describe, it } from 'vitest';

/**
 * Registry tests run on PGlite always and on PostgreSQL when DATABASE_URL is set. Under CI=true a
 * missing PostgreSQL is a failure, not a skip: CI must prove both engines.
 */
export const DATABASE_URL = process.env.DATABASE_URL;
export const IN_CI = process.env.CI === 'true';

export function describePostgres(name: string, body: (url: string) => void): void {
  if (DATABASE_URL) {
    describe(name, () => body(DATABASE_URL));
  } else if (IN_CI) {
    describe(name, () => {
      it('needs PostgreSQL: DATABASE_URL is not set under CI=true', () => {
        throw new Error('DATABASE_URL is not set; .ci/run exports it after making the local PostgreSQL available');
      });
    });
  } else {
    describe.skip(`${name} (skipped: set DATABASE_URL to run against PostgreSQL)`, () => body(''));
  }
}
