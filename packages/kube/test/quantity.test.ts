import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatQuantity, parseQuantity, QuantityError, quantityMilliValue, quantityValue } from '@emplace/kube';

const n = (s: string | number) => parseQuantity(s);
const NANO = 1_000_000_000n;

describe('parseQuantity (apimachinery rules)', () => {
  it.each([
    ['0', 0n],
    ['1', NANO],
    ['500m', 500_000_000n],
    ['1Gi', 1073741824n * NANO],
    ['1.5Ki', 1536n * NANO],
    ['1e3', 1000n * NANO],
    ['1E3', 1000n * NANO],
    ['2k', 2000n * NANO],
    ['1M', 1_000_000n * NANO],
    ['3E', 3n * 10n ** 18n * NANO],
    ['0.5', 500_000_000n],
    ['.5', 500_000_000n],
    ['5.', 5n * NANO],
    ['+7', 7n * NANO],
    ['-250m', -250_000_000n],
    ['100n', 100n],
    ['1u', 1000n],
    ['12e-3', 12_000_000n],
    ['1e+2', 100n * NANO],
    ['007', 7n * NANO],
    ['-', 0n],
  ])('%s', (text, nano) => {
    expect(n(text)).toBe(nano);
  });

  it('rounds finer than nano up, away from zero', () => {
    expect(n('0.1n')).toBe(1n);
    expect(n('1e-12')).toBe(1n);
    expect(n('-1e-12')).toBe(-1n);
    expect(n('1.0000000001')).toBe(NANO + 1n);
  });

  it('caps binary-SI quantities at the largest int64', () => {
    expect(n('8Ei')).toBe((2n ** 63n - 1n) * NANO);
  });

  it('accepts numbers as YAML leaves them', () => {
    expect(n(4)).toBe(4n * NANO);
    expect(n(0.25)).toBe(250_000_000n);
    expect(n(1e21)).toBe(10n ** 21n * NANO);
  });

  it.each(['', 'abc', '1Gb', '1 Gi', '1e', 'Gi1', '1.2.3', '1i', '--1', '1KiB', '1e3.5', 'm'])('refuses %j', (text) => {
    if (text === 'm') {
      // a bare suffix has no digits: Kubernetes reads it as 0 milli
      expect(n(text)).toBe(0n);
      return;
    }
    expect(() => n(text)).toThrow(QuantityError);
  });

  it('Value() and MilliValue() round up like Kubernetes', () => {
    expect(quantityValue(n('100m'))).toBe(1n);
    expect(quantityValue(n('1'))).toBe(1n);
    expect(quantityValue(n('1.5Gi'))).toBe(1610612736n);
    expect(quantityMilliValue(n('1n'))).toBe(1n);
    expect(quantityMilliValue(n('2'))).toBe(2000n);
    expect(quantityValue(n('-1.5'))).toBe(-2n);
  });

  it('round-trips integers with every decimal and binary suffix', () => {
    const dec: [string, bigint][] = [['', 1n], ['k', 1000n], ['M', 10n ** 6n], ['G', 10n ** 9n], ['T', 10n ** 12n], ['m', -1n]];
    const bin: [string, bigint][] = [['Ki', 1n << 10n], ['Mi', 1n << 20n], ['Gi', 1n << 30n], ['Ti', 1n << 40n]];
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 6n }), fc.constantFrom(...dec, ...bin), (v, [suffix, mult]) => {
        const nano = mult === -1n ? v * 1_000_000n : v * mult * NANO;
        expect(n(`${v}${suffix}`)).toBe(nano);
        // formatQuantity gives a text that parses back to the same amount
        expect(n(formatQuantity(nano))).toBe(nano);
      }),
    );
  });

  it('a decimal with a fraction equals its scientific form', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 10 ** 9 }), fc.integer({ min: 0, max: 9 }), (whole, exp) => {
        const s = String(whole);
        const point = s.length > exp ? `${s.slice(0, s.length - exp)}${exp > 0 ? `.${s.slice(s.length - exp)}` : ''}` : `0.${s.padStart(exp, '0')}`;
        expect(n(point)).toBe(n(`${whole}e-${exp}`));
      }),
    );
  });
});
