import type { Reporter, TestCase, TestModule } from 'vitest/node';

/**
 * Prints the plain closing line, `N passed, N failed, N skipped`, after vitest's own summary, so CI
 * logs state the count in a form any reader (or script) can pick up. Skipped tests are never silent:
 * one line before it names each skipped suite (its own name says why, e.g. "set DATABASE_URL").
 */
export default class SummaryReporter implements Reporter {
  onTestRunEnd(testModules: ReadonlyArray<TestModule>, unhandledErrors: ReadonlyArray<unknown>): void {
    let passed = 0;
    let failed = unhandledErrors.length;
    let skipped = 0;
    const skippedSuites = new Map<string, number>();
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const state = test.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') failed++;
        else {
          skipped++;
          const where = skippedPlace(module, test);
          skippedSuites.set(where, (skippedSuites.get(where) ?? 0) + 1);
        }
      }
      if (module.state() === 'failed' && ![...module.children.allTests()].some((t) => t.result().state === 'failed'))
        failed++;
    }
    if (skippedSuites.size > 0) {
      const names = [...skippedSuites].map(([where, count]) => `${where} (${count})`).join('; ');
      process.stdout.write(`\nskipped suites: ${names}\n`);
    }
    process.stdout.write(`\n${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/** `file › outermost suite`: the level at which suites are skipped (a whole engine or browser). */
function skippedPlace(module: TestModule, test: TestCase): string {
  let suite = test.parent;
  while (suite.type === 'suite' && suite.parent.type === 'suite') suite = suite.parent;
  const file = module.moduleId.replace(/^.*?\/test\//, 'test/');
  return suite.type === 'suite' ? `${file} › ${suite.name}` : file;
}
