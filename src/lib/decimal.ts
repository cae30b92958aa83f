import { InvalidInputError } from '../errors.js';

/**
 * Exact non-negative decimals for quantity arithmetic: a footprint (`units × mass fraction ×
 * product mass`) must not pick up binary floating-point error before it is rounded up to whole
 * credits (exactly 25.000 t must give 25 credits, not 26), and a claim compared with what was
 * retired must not pass by a rounding error. A value is an integer `n` scaled by 10^-`scale`; sums
 * and products are exact, and the only rounding is an explicit ceiling.
 */
export interface Decimal {
  readonly n: bigint;
  readonly scale: number;
}

const DECIMAL_TEXT = /^(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;

/**
 * Parses a non-negative number or its decimal text exactly as written (`0.05` is 5 × 10^-2, not
 * the nearest double). Throws INVALID_FIELD (naming `path`) for anything else.
 *
 * @example decimal('8.9').n === 89n && decimal('8.9').scale === 1
 */
export function decimal(value: unknown, path: string): Decimal {
  const text =
    typeof value === 'number' && Number.isFinite(value)
      ? String(value)
      : typeof value === 'string'
        ? value.trim()
        : undefined;
  const m = text === undefined ? null : DECIMAL_TEXT.exec(text);
  if (m === null)
    throw new InvalidInputError(
      'INVALID_FIELD',
      `${path} must be a non-negative decimal number, got ${JSON.stringify(value)}`,
      path,
    );
  const fraction = m[2] ?? '';
  const exponent = Number(m[3] ?? '0');
  let n = BigInt(`${m[1]}${fraction}`);
  let scale = fraction.length - exponent;
  if (scale < 0) {
    n *= 10n ** BigInt(-scale);
    scale = 0;
  }
  return normalise({ n, scale });
}

export const ZERO: Decimal = { n: 0n, scale: 0 };

function normalise(d: Decimal): Decimal {
  let { n, scale } = d;
  while (scale > 0 && n % 10n === 0n) {
    n /= 10n;
    scale -= 1;
  }
  return { n, scale };
}

function align(a: Decimal, b: Decimal): [bigint, bigint, number] {
  const scale = Math.max(a.scale, b.scale);
  return [a.n * 10n ** BigInt(scale - a.scale), b.n * 10n ** BigInt(scale - b.scale), scale];
}

export function add(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalise({ n: x + y, scale });
}

export function sub(a: Decimal, b: Decimal): Decimal {
  const [x, y, scale] = align(a, b);
  return normalise({ n: x - y, scale });
}

export function mul(a: Decimal, b: Decimal): Decimal {
  return normalise({ n: a.n * b.n, scale: a.scale + b.scale });
}

/** -1, 0 or 1. */
export function cmp(a: Decimal, b: Decimal): number {
  const [x, y] = align(a, b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** ⌈a / b⌉ for a ≥ 0, b > 0, as an integer. */
export function ceilDiv(a: Decimal, b: Decimal): bigint {
  const [x, y] = align(a, b);
  if (y <= 0n) throw new InvalidInputError('QUANTITY_NOT_POSITIVE', 'divisor must be positive');
  return (x + y - 1n) / y;
}

/** The exact decimal text (`24920`, `8.9`, `0.018`). */
export function format(d: Decimal): string {
  const negative = d.n < 0n;
  const digits = (negative ? -d.n : d.n).toString().padStart(d.scale + 1, '0');
  const text =
    d.scale === 0 ? digits : `${digits.slice(0, digits.length - d.scale)}.${digits.slice(digits.length - d.scale)}`;
  return negative ? `-${text}` : text;
}

/** A JSON number for display; exact for the magnitudes footprints use (kg to 6 decimals). */
export function toNumber(d: Decimal): number {
  return Number(format(d));
}
