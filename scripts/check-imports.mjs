#!/usr/bin/env node
// The import rules of src (run by `npm run lint`): those of .dependency-cruiser.mjs — no runtime cycle
// between files, the layer rules — and no runtime cycle between the top-level folders of src (each
// file directly in src counts as a folder of its own). Exits 1 and lists every violation.
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { cruise } from 'dependency-cruiser';
import extractTSConfig from 'dependency-cruiser/config-utl/extract-ts-config';
import config from '../.dependency-cruiser.mjs';

const NODE_IMPORTS_FILE = 'scripts/root-entry-node-imports.json';

/** The folder of a module for the folder rule: `src/verify/x.ts` → `verify`, `src/issue.ts` → `issue.ts`. */
function topOf(path) {
  const match = /^src\/([^/]+)(\/)?/.exec(path);
  return match ? match[1] : null;
}

/** Strongly connected components with more than one folder (Tarjan). */
function cycles(graph) {
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const found = [];
  let next = 0;
  const visit = (node) => {
    index.set(node, next);
    low.set(node, next++);
    stack.push(node);
    onStack.add(node);
    for (const to of graph.get(node)?.keys() ?? []) {
      if (!index.has(to)) {
        visit(to);
        low.set(node, Math.min(low.get(node), low.get(to)));
      } else if (onStack.has(to)) low.set(node, Math.min(low.get(node), index.get(to)));
    }
    if (low.get(node) === index.get(node)) {
      const component = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        component.push(member);
      } while (member !== node);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) visit(node);
  return found;
}

/**
 * The root entry is meant to be bundled for browsers: the `node:` built-ins its runtime graph still
 * reaches are listed in scripts/root-entry-node-imports.json, so that none is added unseen (a new one
 * fails) and the list only shrinks (one no longer reached fails too, until removed from the list).
 */
export function nodeImportsOf(modules, entry = 'src/index.ts') {
  const bySource = new Map(modules.map((module) => [module.source, module]));
  const seen = new Set([entry]);
  const queue = [entry];
  const found = [];
  while (queue.length > 0) {
    const module = bySource.get(queue.shift());
    for (const dependency of module?.dependencies ?? []) {
      if (dependency.dependencyTypes.includes('type-only')) continue;
      if (dependency.coreModule) found.push(`${module.source} → node:${dependency.module.replace(/^node:/, '')}`);
      else if (dependency.resolved.startsWith('src/') && !seen.has(dependency.resolved)) {
        seen.add(dependency.resolved);
        queue.push(dependency.resolved);
      }
    }
  }
  return [...new Set(found)].sort();
}

function rootEntryNodeImports(modules) {
  if (!existsSync('src/index.ts')) return [];
  const listed = existsSync(NODE_IMPORTS_FILE) ? JSON.parse(readFileSync(NODE_IMPORTS_FILE, 'utf8')).imports : [];
  const found = nodeImportsOf(modules);
  return [
    ...found
      .filter((line) => !listed.includes(line))
      .map((line) => `root-entry-node-builtin: ${line} (not in ${NODE_IMPORTS_FILE})`),
    ...listed
      .filter((line) => !found.includes(line))
      .map((line) => `root-entry-node-builtin: ${line} is no longer reached: remove it from ${NODE_IMPORTS_FILE}`),
  ];
}

async function cruiseSrc() {
  const tsConfig = existsSync('tsconfig.json') ? extractTSConfig('tsconfig.json') : undefined;
  return cruise(['src'], { ...config.options, validate: true, ruleSet: { forbidden: config.forbidden } }, undefined, {
    ...(tsConfig ? { tsConfig } : {}),
  });
}

/** Runs the checks on `src` of the current directory; returns the violations, one text each. */
export async function checkImports() {
  const { output } = await cruiseSrc();
  const problems = output.summary.violations.map((v) => {
    const path = v.cycle ? [v.from, ...v.cycle.map((step) => step.name ?? step)].join(' → ') : `${v.from} → ${v.to}`;
    const rule = config.forbidden.find((r) => r.name === v.rule.name);
    return `${v.rule.name}: ${path}${rule?.comment ? `\n    ${rule.comment}` : ''}`;
  });
  const graph = new Map();
  for (const module of output.modules) {
    const from = topOf(module.source);
    if (!from) continue;
    if (!graph.has(from)) graph.set(from, new Map());
    for (const dependency of module.dependencies) {
      if (dependency.dependencyTypes.includes('type-only')) continue;
      const to = topOf(dependency.resolved);
      if (!to || to === from) continue;
      const edges = graph.get(from);
      if (!edges.has(to)) edges.set(to, []);
      edges.get(to).push(`${module.source} → ${dependency.resolved}`);
    }
  }
  for (const component of cycles(graph)) {
    const inside = new Set(component);
    const edges = component.flatMap((from) =>
      [...(graph.get(from)?.entries() ?? [])].filter(([to]) => inside.has(to)).map(([, files]) => files[0]),
    );
    problems.push(`no-folder-cycle: ${component.join(', ')} import each other:\n    ${edges.join('\n    ')}`);
  }
  problems.push(...rootEntryNodeImports(output.modules));
  return problems;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1] && process.argv[2] === '--node-imports') {
  const { output } = await cruiseSrc();
  console.log(JSON.stringify(nodeImportsOf(output.modules), null, 2));
} else if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const problems = await checkImports();
  for (const problem of problems) console.error(`✘ ${problem}`);
  if (problems.length > 0) {
    console.error(`${problems.length} import rule violation(s) (docs/architecture.md)`);
    process.exit(1);
  }
  console.log('imports: no cycles, layers respected');
}
