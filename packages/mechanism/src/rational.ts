/**
 * Exact rationals on BigInt, just what the exact solution concepts need: a reduced
 * fraction printed as "p/q". mathjs' Fraction would do too, but the values here are
 * single sums of BigInt products divided once by n!, so a 20-line helper avoids loading
 * all of mathjs (hundreds of ms of start-up in the CLI) for one division.
 */

export function gcd(a: bigint, b: bigint): bigint {
  if (a < 0n) a = -a;
  if (b < 0n) b = -b;
  while (b !== 0n) {
    const t = a % b;
    a = b;
    b = t;
  }
  return a;
}

/** "p/q" in lowest terms with q > 0 ("p" when q = 1). */
export function fractionString(num: bigint, den: bigint): string {
  if (den === 0n) throw new RangeError('fractionString: zero denominator');
  if (den < 0n) {
    num = -num;
    den = -den;
  }
  const g = gcd(num, den);
  const p = g === 0n ? num : num / g;
  const q = g === 0n ? den : den / g;
  return q === 1n ? p.toString() : `${p}/${q}`;
}

/** n! as a BigInt. */
export function factorial(n: number): bigint {
  let f = 1n;
  for (let k = 2; k <= n; k++) f *= BigInt(k);
  return f;
}

/** Parses "p/q", "p" or a finite number's exact binary value into [num, den]. */
export function parseFraction(text: string): [bigint, bigint] {
  const m = /^\s*(-?\d+)\s*(?:\/\s*(\d+)\s*)?$/.exec(text);
  if (!m) throw new RangeError(`not a fraction: ${JSON.stringify(text)}`);
  const den = m[2] === undefined ? 1n : BigInt(m[2]);
  if (den === 0n) throw new RangeError(`zero denominator in ${JSON.stringify(text)}`);
  return [BigInt(m[1]!), den];
}

/** Value of a "p/q" string as a double. */
export function fractionValue(text: string): number {
  const [p, q] = parseFraction(text);
  return Number(p) / Number(q);
}
