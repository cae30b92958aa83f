import { describe, expect, it } from 'vitest';
import { cmp, decimal, format, mul } from '../../src/lib/decimal.js';
import { convertMass, kilograms, MASS_UNITS, massUnit, measureKilograms } from '../../src/lib/mass-units.js';
import { isUntpCreditsError } from '../../src/errors.js';

const kg = (value: number | string, unit: string) => format(kilograms(value, unit, '/value', '/unit'));

describe('the mass-unit table (UN/ECE Rec 20 codes)', () => {
  it('has the exact factors: metric powers of ten, the 1959 pound and what derives from it', () => {
    expect(Object.fromEntries(Object.values(MASS_UNITS).map((u) => [u.code, u.kg]))).toEqual({
      MC: '0.000000001',
      MGM: '0.000001',
      CGM: '0.00001',
      CTM: '0.0002',
      GRM: '0.001',
      HGM: '0.1',
      KGM: '1',
      DTN: '100',
      TNE: '1000',
      KTN: '1000000',
      ONZ: '0.028349523125',
      APZ: '0.0311034768',
      LBR: '0.45359237',
      STN: '907.18474',
      LTN: '1016.0469088',
    });
  });
  it('derived units agree exactly with their definitions', () => {
    const same = (a: [number | string, string], b: [number | string, string]) =>
      expect(cmp(kilograms(a[0], a[1], '', ''), kilograms(b[0], b[1], '', ''))).toBe(0);
    same([16, 'ONZ'], [1, 'LBR']);
    same([2000, 'LBR'], [1, 'STN']);
    same([2240, 'LBR'], [1, 'LTN']);
    same([1, 'APZ'], [format(mul(decimal(480, ''), decimal('64.79891', ''))), 'MGM']); // 480 grains of 64.798 91 mg
    same([5, 'CTM'], [1, 'GRM']);
    same([10, 'DTN'], [1, 'TNE']);
    same([1000, 'TNE'], [1, 'KTN']);
    same([1e9, 'MC'], [1, 'KGM']);
  });
  it('is exact where doubles are not', () => {
    expect(kg(0.1, 'TNE')).toBe('100');
    expect(kg('25000.00000001', 'KGM')).toBe('25000.00000001');
    expect(kg(3, 'LBR')).toBe('1.36077711');
    expect(kg(1e12, 'MGM')).toBe('1000000');
  });
  it('refuses any other code with UNIT_UNSUPPORTED naming the field (codes are case-sensitive)', () => {
    for (const code of ['kg', 'tne', 'LTR', 'C62', '', 'hasOwnProperty', '__proto__', undefined, 1000]) {
      try {
        massUnit(code, '/claimBoundary/coveredQuantity/unit');
        expect.unreachable(`${String(code)} was accepted`);
      } catch (error) {
        expect(isUntpCreditsError(error) && { code: error.code, path: error.path }).toEqual({
          code: 'UNIT_UNSUPPORTED',
          path: '/claimBoundary/coveredQuantity/unit',
        });
      }
    }
  });
  it('reads a UNTP Measure, naming value and unit', () => {
    expect(format(measureKilograms({ value: 2.5, unit: 'GRM' }, '/mass'))).toBe('0.0025');
    expect(() => measureKilograms({ value: -1, unit: 'GRM' }, '/mass')).toThrow(
      expect.objectContaining({ code: 'INVALID_FIELD', path: '/mass/value' }),
    );
    expect(() => measureKilograms({ value: 1, unit: 'kg' }, '/mass')).toThrow(
      expect.objectContaining({ code: 'UNIT_UNSUPPORTED', path: '/mass/unit' }),
    );
    expect(() => measureKilograms('1 kg', '/mass')).toThrow(expect.objectContaining({ code: 'INVALID_FIELD' }));
  });
  it('converts for display, never guessing an unknown unit', () => {
    expect(convertMass(9000, 'KGM', 'TNE')).toBe(9);
    expect(convertMass(1000, 'DTN', 'TNE')).toBe(100);
    expect(convertMass(1, 'TNE', 'kg')).toBeUndefined();
    expect(decimal('0', '/')).toEqual({ n: 0n, scale: 0 });
  });
});
