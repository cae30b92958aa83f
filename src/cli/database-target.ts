/**
 * Which store a CLI verb opens. What the user typed wins over the environment: --database-url,
 * then --data-dir, then DATABASE_URL, then DATA_DIR, then the default PGlite directory. (CI exports
 * DATABASE_URL; a verb given --data-dir must still open that directory.)
 */
export function databaseTarget(
  options: { databaseUrl?: string | undefined; dataDir?: string | undefined },
  env: NodeJS.ProcessEnv = process.env,
  defaultDataDir = './data/registry',
): { url: string } | { dataDir: string } {
  if (options.databaseUrl) return { url: options.databaseUrl };
  if (options.dataDir !== undefined) return { dataDir: options.dataDir };
  if (env.DATABASE_URL) return { url: env.DATABASE_URL };
  return { dataDir: env.DATA_DIR ?? defaultDataDir };
}
