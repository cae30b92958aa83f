import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { loadVerbs, VERBS } from '../../src/cli/verbs.js';
import { ROOT } from '../helpers.js';

const argv = (...words: string[]) => ['node', 'untp-credits', ...words];
const commandsOf = (registers: Array<(program: Command) => void>) => {
  const program = new Command();
  for (const register of registers) register(program);
  return program.commands.map((command) => command.name());
};

describe('the CLI loads only the verb it runs', () => {
  it('each loader registers exactly the command it is listed under', async () => {
    for (const [name, load] of Object.entries(VERBS)) expect(commandsOf([await load()])).toEqual([name]);
  });

  it('every verb file of src/cli is listed', () => {
    const files = readdirSync(join(ROOT, 'src/cli')).filter((file) =>
      /export function register\w*\(program: Command\)/.test(readFileSync(join(ROOT, 'src/cli', file), 'utf8')),
    );
    expect(files.length).toBeGreaterThan(0);
    expect(Object.keys(VERBS)).toHaveLength(files.length);
  });

  it('a named verb loads that verb alone', async () => {
    expect(commandsOf(await loadVerbs(argv('validate', 'x.json')))).toEqual(['validate']);
    expect(commandsOf(await loadVerbs(argv('verify', '--workers', '2', 'a.json')))).toEqual(['verify']);
  });

  it('help, version, no verb or a mistyped verb load every verb, in the listed order', async () => {
    for (const words of [['--help'], ['--version'], [], ['help', 'validate'], ['valdate'], ['constructor']])
      expect(commandsOf(await loadVerbs(argv(...words)))).toEqual(Object.keys(VERBS));
  });
});
