/**
 * Exact resource amounts for the Karmada estimator.
 *
 * Karmada's estimator rounds Kubernetes quantities up (`Quantity.Value()` is the ceiling in whole
 * units, `MilliValue()` the ceiling in thousandths) and divides integers. Doing that on doubles
 * goes wrong at once (`0.1 * 1000` is `100.00000000000001`, whose ceiling is 101), so amounts are
 * kept as integers of nano-units (BigInt), the finest scale Kubernetes keeps.
 */
import { ModelError } from '@emplace/core';

/**
 * A resource amount: a Kubernetes quantity string (`"500m"`, `"1.5Gi"`, `"2e3"`) or a number in
 * base units (cores, bytes, pods). A number is read through its shortest decimal form, so `0.1`
 * means exactly one tenth.
 */
export type KarmadaQuantity = number | string;

const NANO = 1_000_000_000n;

const BINARY: Record<string, bigint> = { Ki: 1n << 10n, Mi: 1n << 20n, Gi: 1n << 30n, Ti: 1n << 40n, Pi: 1n << 50n, Ei: 1n << 60n };
/** Decimal suffixes as powers of ten. */
const DECIMAL: Record<string, number> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };

const QUANTITY = /^([+-]?)(\d+(?:\.\d*)?|\.\d+)(?:(Ki|Mi|Gi|Ti|Pi|Ei|n|u|m|k|M|G|T|P|E)|[eE]([+-]?\d+))?$/;

/** ceil(a / b) for b > 0. */
function ceilDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b > 0n ? q + 1n : q;
}

/**
 * The amount in nano-units, rounded up to a whole nano-unit (Kubernetes rounds finer amounts up).
 * @throws ModelError naming `field` when the text is not a Kubernetes quantity.
 */
export function quantityToNano(q: KarmadaQuantity, field = 'quantity'): bigint {
  let text: string;
  if (typeof q === 'number') {
    if (!Number.isFinite(q)) throw new ModelError(field, `must be a finite number, got ${q}`);
    text = String(q);
  } else if (typeof q === 'string') {
    text = q.trim();
  } else {
    throw new ModelError(field, `must be a number or a Kubernetes quantity string, got ${typeof q}`);
  }
  const m = QUANTITY.exec(text);
  if (!m) throw new ModelError(field, `is not a Kubernetes quantity: ${JSON.stringify(q)}`);
  const negative = m[1] === '-';
  const [whole, frac = ''] = m[2]!.split('.');
  const digits = BigInt((whole || '0') + frac);
  let numerator = digits * NANO;
  let denominator = 10n ** BigInt(frac.length);
  const suffix = m[3];
  if (suffix !== undefined && suffix in BINARY) {
    numerator *= BINARY[suffix]!;
  } else {
    const exp = suffix !== undefined ? DECIMAL[suffix]! : m[4] !== undefined ? Number(m[4]) : 0;
    if (Math.abs(exp) > 60) throw new ModelError(field, `exponent out of range: ${JSON.stringify(q)}`);
    if (exp >= 0) numerator *= 10n ** BigInt(exp);
    else denominator *= 10n ** BigInt(-exp);
  }
  // Round away from zero to a whole nano-unit, as Kubernetes does for sub-nano amounts.
  const magnitude = ceilDiv(numerator, denominator);
  return negative ? -magnitude : magnitude;
}

/** `Quantity.Value()`: whole units, rounded up (towards +infinity). */
export function nanoToValue(nano: bigint): bigint {
  return nano >= 0n ? ceilDiv(nano, NANO) : -(-nano / NANO);
}

/** `Quantity.MilliValue()`: thousandths, rounded up (towards +infinity). */
export function nanoToMilli(nano: bigint): bigint {
  const MICRO = 1_000_000n;
  return nano >= 0n ? ceilDiv(nano, MICRO) : -(-nano / MICRO);
}
