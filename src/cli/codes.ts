import type { Command } from 'commander';
import { CATALOGUE_SECTIONS, DEPRECATED_CODES, ERROR_CATALOGUE, type ErrorCode } from '../errors/catalogue.js';
import { EXIT_OK } from './exit.js';

type Out = (line: string) => void;

/** One row of `untp-credits codes --json`. */
export interface CodeRow {
  code: ErrorCode;
  http: number;
  exit: number;
  title: string;
}

/** The catalogue as rows, in catalogue order. */
export function codeRows(): CodeRow[] {
  return (Object.keys(ERROR_CATALOGUE) as ErrorCode[]).map((code) => {
    const { http, exit, title } = ERROR_CATALOGUE[code];
    return { code, http, exit, title };
  });
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/</g, '&lt;');

/**
 * docs/errors.md, rendered from the catalogue (`npm run docs:errors` writes it; a test fails when
 * the file is stale).
 */
export function errorsMarkdown(): string {
  const lines = [
    '# Error codes',
    '',
    '<!-- Generated from src/errors/catalogue.ts by `npm run docs:errors`; do not edit by hand. -->',
    '',
    'Every failure the toolkit throws or reports carries one of these stable codes: the library as',
    '`UntpCreditsError.code` (and in the `code` of verification steps and validation issues), the HTTP',
    'server as the `code` of an `application/problem+json` body (with the status and title below), and',
    'the CLI as `CODE: message` on stderr with the exit code below. `untp-credits codes --json` prints',
    'the same table.',
    '',
    'Exit codes: `0` the check held or the command was done; `1` a check failed or the registry refused',
    'the command; `2` the verb could not run — a usage error, unreadable input, missing or refused',
    'credentials (401 and 403 alike), an unreachable, locked or closing registry, a server-side failure.',
    '',
  ];
  for (const section of CATALOGUE_SECTIONS) {
    lines.push(
      `## ${section.title}`,
      '',
      '| Code | HTTP | Exit | Title | Meaning |',
      '| --- | --- | --- | --- | --- |',
    );
    for (const [code, entry] of Object.entries(section.codes))
      lines.push(`| \`${code}\` | ${entry.http} | ${entry.exit} | ${cell(entry.title)} | ${cell(entry.meaning)} |`);
    lines.push('');
  }
  lines.push(
    '## Deprecated codes',
    '',
    'These names are accepted for one more release wherever a code is given or compared',
    '(`new UntpCreditsError(code, …)`, `hasCode()`, `parseErrorCode()`, a problem body read by the CLI)',
    'and are never produced any more. Compare with `hasCode(error, code)` to match both names.',
    '',
    '| Deprecated | Use instead |',
    '| --- | --- |',
    ...Object.entries(DEPRECATED_CODES).map(([old, current]) => `| \`${old}\` | \`${current}\` |`),
    '',
  );
  return lines.join('\n');
}

/** The catalogue as a table for people. */
export function codesTable(): string[] {
  const rows = codeRows();
  const width = Math.max(...rows.map((r) => r.code.length));
  return [
    `${'CODE'.padEnd(width)}  HTTP  EXIT  TITLE`,
    ...rows.map((r) => `${r.code.padEnd(width)}  ${String(r.http).padEnd(4)}  ${String(r.exit).padEnd(4)}  ${r.title}`),
    '',
    `deprecated: ${Object.entries(DEPRECATED_CODES)
      .map(([old, current]) => `${old} → ${current}`)
      .join(', ')}`,
  ];
}

/**
 * `untp-credits codes [--json | --markdown]`: the error catalogue — every code with its HTTP status,
 * exit code and title (`--json`: an array of `{ code, http, exit, title }`; `--markdown`: docs/errors.md).
 */
export function runCodes(options: { json?: boolean; markdown?: boolean }, out: Out): number {
  if (options.json) out(JSON.stringify(codeRows(), null, 2));
  else if (options.markdown) out(errorsMarkdown().replace(/\n$/, ''));
  else for (const line of codesTable()) out(line);
  return EXIT_OK;
}

export function registerCodes(program: Command): void {
  program
    .command('codes')
    .description('List the error codes with their HTTP status, exit code and title')
    .option('--json', 'a JSON array of { code, http, exit, title }')
    .option('--markdown', 'the docs/errors.md page')
    .action((options: { json?: boolean; markdown?: boolean }) => {
      process.exitCode = runCodes(options, (line) => process.stdout.write(`${line}\n`));
    });
}
