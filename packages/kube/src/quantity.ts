/**
 * Kubernetes resource quantities (`500m`, `1Gi`, `1e3`, `1.5Ki`), parsed by the same rules as
 * apimachinery's `resource.ParseQuantity`, so that emplace sees exactly the numbers the
 * Karmada scheduler sees.
 *
 * A quantity is held as an exact integer count of nano-units (10^-9), the finest precision
 * Kubernetes keeps: like Kubernetes, a value finer than that is rounded up, away from zero
 * ("if you asked for some resource you get some").
 */

const NANO = 1_000_000_000n;
/** Kubernetes caps binary-SI quantities at the largest int64. */
const MAX_BINARY_NANO = (2n ** 63n - 1n) * NANO;
/** Exponents beyond this are refused rather than expanded into gigantic integers. */
const MAX_EXPONENT = 1000;

const DECIMAL_SUFFIX: Readonly<Record<string, number>> = { n: -9, u: -6, m: -3, '': 0, k: 3, M: 6, G: 9, T: 12, P: 15, E: 18 };
const BINARY_SUFFIX: Readonly<Record<string, number>> = { Ki: 10, Mi: 20, Ti: 40, Gi: 30, Pi: 50, Ei: 60 };
const SUFFIX_CHARS = 'eEinumkKMGTP';

/** Why a text is not a quantity; the caller names the object and field. */
export class QuantityError extends Error {}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function divideAwayFromZero(n: bigint, d: bigint): bigint {
  const q = n / d;
  return q * d === n ? q : q + (n > 0n ? 1n : -1n);
}

/**
 * Parses a quantity into nano-units. Accepts a string as kubectl prints it, or a number
 * (YAML and JSON writers sometimes leave `cpu: 4` unquoted).
 */
export function parseQuantity(input: string | number): bigint {
  const str = typeof input === 'number' ? numberText(input) : input;
  if (str.length === 0) throw new QuantityError('is an empty quantity');
  const end = str.length;
  let pos = 0;
  let positive = true;
  if (str[0] === '-') {
    positive = false;
    pos++;
  } else if (str[0] === '+') pos++;
  // Leading zeros carry no value; a text of only a sign and zeros is zero (as in Kubernetes).
  while (pos < end && str[pos] === '0') pos++;
  if (pos >= end) return 0n;
  const numStart = pos;
  while (isDigit(str[pos])) pos++;
  const num = str.slice(numStart, pos) || '0';
  let denom = '';
  if (str[pos] === '.') {
    pos++;
    const denomStart = pos;
    while (isDigit(str[pos])) pos++;
    denom = str.slice(denomStart, pos);
  }
  const suffixStart = pos;
  while (pos < end && SUFFIX_CHARS.includes(str[pos]!)) pos++;
  if (pos < end) {
    if (str[pos] === '+' || str[pos] === '-') pos++;
    while (isDigit(str[pos])) pos++;
    if (pos < end) throw new QuantityError(`is not a quantity (${JSON.stringify(str)}: unexpected ${JSON.stringify(str[pos])})`);
  }
  const suffix = str.slice(suffixStart);
  const digits = BigInt(num + denom);
  let nano: bigint;
  let binary = false;
  if (suffix in DECIMAL_SUFFIX) {
    nano = scaleDecimal(digits, DECIMAL_SUFFIX[suffix]! - denom.length);
  } else if (suffix in BINARY_SUFFIX) {
    binary = true;
    nano = divideAwayFromZero(digits * (1n << BigInt(BINARY_SUFFIX[suffix]!)) * NANO, 10n ** BigInt(denom.length));
  } else if (suffix.length > 1 && (suffix[0] === 'e' || suffix[0] === 'E') && /^[+-]?[0-9]+$/.test(suffix.slice(1))) {
    const exponent = Number(suffix.slice(1));
    if (Math.abs(exponent) > MAX_EXPONENT) throw new QuantityError(`is out of range (${JSON.stringify(str)})`);
    nano = scaleDecimal(digits, exponent - denom.length);
  } else {
    throw new QuantityError(`has an unknown unit suffix ${JSON.stringify(suffix)} (${JSON.stringify(str)})`);
  }
  if (binary && nano > MAX_BINARY_NANO) nano = MAX_BINARY_NANO;
  return positive ? nano : -nano;
}

/** digits x 10^exponent, in nano-units, rounded up. */
function scaleDecimal(digits: bigint, exponent: number): bigint {
  const shift = exponent + 9;
  return shift >= 0 ? digits * 10n ** BigInt(shift) : divideAwayFromZero(digits, 10n ** BigInt(-shift));
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) throw new QuantityError(`is not a quantity (${n})`);
  return String(n);
}

/** `Quantity.Value()`: whole units, rounded up (away from zero). */
export function quantityValue(nano: bigint): bigint {
  return divideAwayFromZero(nano, NANO);
}

/** `Quantity.MilliValue()`: thousandths, rounded up (away from zero). */
export function quantityMilliValue(nano: bigint): bigint {
  return divideAwayFromZero(nano, 1_000_000n);
}

/** The quantity as a JavaScript number of whole units (exact up to 2^53 nano-units, close beyond). */
export function quantityToNumber(nano: bigint): number {
  const whole = nano / NANO;
  return Number(whole) + Number(nano - whole * NANO) / 1e9;
}

/** Canonical-enough text for a nano-unit amount: whole units when exact, else milli or nano. */
export function formatQuantity(nano: bigint): string {
  if (nano % NANO === 0n) return String(nano / NANO);
  if (nano % 1_000_000n === 0n) return `${nano / 1_000_000n}m`;
  if (nano % 1000n === 0n) return `${nano / 1000n}u`;
  return `${nano}n`;
}
