/**
 * A progress bar on stderr, only when stderr is a terminal (never in pipes, CI logs or --json
 * runs): `[#####.....] 12/40 verify`. `clear()` before printing a report line keeps output clean.
 */
export interface Progress {
  tick(done: number): void;
  clear(): void;
  done(): void;
}

export function progressBar(
  total: number,
  label: string,
  stream: NodeJS.WriteStream = process.stderr,
  enabled = Boolean(stream.isTTY) && total > 1,
): Progress {
  if (!enabled) return { tick: () => undefined, clear: () => undefined, done: () => undefined };
  const width = 30;
  let shown = false;
  return {
    tick(done) {
      const filled = Math.round((done / total) * width);
      stream.write(`\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} ${label}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\x1b[K');
      shown = false;
    },
    done() {
      this.clear();
    },
  };
}
