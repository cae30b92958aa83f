#!/usr/bin/env node
// Prints the public API of each package entry (package.json exports): its exported values and types,
// counted as docs/api.md lists them. `node scripts/api-size.mjs --names` lists the names too.
import { readFileSync } from 'node:fs';
import ts from 'typescript';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const entries = Object.entries(pkg.exports)
  .filter(([, target]) => typeof target === 'object')
  .map(([subpath, target]) => [
    subpath === '.' ? pkg.name : `${pkg.name}/${subpath.slice(2)}`,
    target.import.replace(/^\.\/dist\//, 'src/').replace(/\.js$/, '.ts'),
  ]);
const program = ts.createProgram(
  entries.map(([, file]) => file),
  {
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    noEmit: true,
    skipLibCheck: true,
  },
);
const checker = program.getTypeChecker();
const names = process.argv.includes('--names');
for (const [name, file] of entries) {
  const symbol = checker.getSymbolAtLocation(program.getSourceFile(file));
  const values = [];
  const types = [];
  for (const exported of checker.getExportsOfModule(symbol)) {
    const target = exported.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exported) : exported;
    (target.flags & ts.SymbolFlags.Value ? values : types).push(exported.name);
  }
  console.log(
    `${name.padEnd(24)} ${String(values.length).padStart(4)} values ${String(types.length).padStart(4)} types`,
  );
  if (names) console.log(`  values: ${values.sort().join(', ')}\n  types: ${types.sort().join(', ')}`);
}
