/** Counts by outcome and the time taken, after a batch of inputs (`verify`, `validate`). */
export interface BatchSummary {
  inputs: number;
  /** Outcome → how many inputs had it (e.g. verified, failed, unreadable), in the order first seen. */
  outcomes: Record<string, number>;
  seconds: number;
}

/** The summary of a batch begun at `startedAt` (a `performance.now()` reading). */
export function batchSummary(outcomes: Record<string, number>, startedAt: number): BatchSummary {
  const inputs = Object.values(outcomes).reduce((sum, n) => sum + n, 0);
  return { inputs, outcomes, seconds: Math.round((performance.now() - startedAt) / 100) / 10 };
}

/**
 * The line for people: `1000 files: 998 verified, 2 failed in 3.2 s`. The first two outcomes (the
 * good one and the bad one) are always shown, so a clean run says "0 failed"; others only when they occur.
 */
export function summaryLine(
  summary: BatchSummary,
  noun: [singular: string, plural: string] = ['file', 'files'],
): string {
  const parts = Object.entries(summary.outcomes)
    .filter(([, n], i) => n > 0 || i < 2)
    .map(([outcome, n]) => `${n} ${outcome}`);
  return `${summary.inputs} ${summary.inputs === 1 ? noun[0] : noun[1]}: ${parts.join(', ')} in ${summary.seconds} s`;
}
