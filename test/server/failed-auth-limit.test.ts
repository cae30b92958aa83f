import { describe, expect, it } from 'vitest';
import { FailedAuthLimiter } from '../../src/server/failed-auth-limit.js';

describe('FailedAuthLimiter', () => {
  it('blocks a client after maxFailures within the window and frees it when the window ends', () => {
    let now = 1_000_000;
    const limiter = new FailedAuthLimiter({ maxFailures: 3, windowMs: 10_000 }, () => now);
    for (let i = 0; i < 3; i++) {
      expect(limiter.retryAfterSeconds('a')).toBe(0);
      limiter.recordFailure('a');
    }
    expect(limiter.retryAfterSeconds('a')).toBe(10);
    expect(limiter.retryAfterSeconds('b')).toBe(0);
    now += 7_500;
    expect(limiter.retryAfterSeconds('a')).toBe(3); // rounded up, never 0 while blocked
    now += 2_500;
    expect(limiter.retryAfterSeconds('a')).toBe(0);
    limiter.recordFailure('a'); // a new window starts with one failure
    expect(limiter.retryAfterSeconds('a')).toBe(0);
  });

  it('remembers at most maxClients addresses, forgetting the least recently failing', () => {
    const limiter = new FailedAuthLimiter({ maxFailures: 1, maxClients: 100 });
    for (let i = 0; i < 10_000; i++) limiter.recordFailure(`10.0.${i >> 8}.${i & 255}`);
    expect(limiter.size).toBe(100);
    expect(limiter.retryAfterSeconds('10.0.0.0')).toBe(0); // evicted
    expect(limiter.retryAfterSeconds(`10.0.${9_999 >> 8}.${9_999 & 255}`)).toBeGreaterThan(0);
  });

  it('refuses options that are not positive integers, naming the option', () => {
    expect(() => new FailedAuthLimiter({ maxFailures: 0 })).toThrow(/maxFailures/);
    expect(() => new FailedAuthLimiter({ windowMs: 1.5 })).toThrow(/windowMs/);
    expect(() => new FailedAuthLimiter({ maxClients: -1 })).toThrow(
      expect.objectContaining({ code: 'OPTION_INVALID', path: '/failedAuthLimit/maxClients' }),
    );
  });
});
