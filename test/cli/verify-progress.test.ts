import { describe, expect, it } from 'vitest';
import { progressBar } from '../../src/cli/progress.js';

function fakeStream(isTTY: boolean) {
  const written: string[] = [];
  return {
    written,
    stream: { isTTY, write: (chunk: string) => (written.push(chunk), true) } as unknown as NodeJS.WriteStream,
  };
}

describe('verify progress bar', () => {
  it('draws on a terminal when several files are verified, and clears before report lines', () => {
    const { written, stream } = fakeStream(true);
    const bar = progressBar(4, 'verify', stream);
    bar.tick(1);
    bar.clear();
    bar.tick(4);
    bar.done();
    expect(written[0]).toBe(`\r[${'#'.repeat(8)}${'.'.repeat(22)}] 1/4 verify`);
    expect(written[1]).toBe('\r\x1b[K');
    expect(written[2]).toContain('] 4/4 verify');
    expect(written[3]).toBe('\r\x1b[K');
  });

  it('stays silent in pipes and for a single file', () => {
    const pipe = fakeStream(false);
    progressBar(10, 'verify', pipe.stream).tick(3);
    const single = fakeStream(true);
    progressBar(1, 'verify', single.stream).tick(1);
    expect([...pipe.written, ...single.written]).toEqual([]);
  });
});
