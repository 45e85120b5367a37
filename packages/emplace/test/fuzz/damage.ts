import fc from 'fast-check';

/** Numbers that broke solvers before (issue 13) or sit at the edges of float64 and of the formats. */
export const BAD_NUMBERS = ['NaN', 'Infinity', '-Infinity', 'inf', '1e308', '-1e308', '1e15', '1e300', '-1', '-7.5', '0', '1e-320', '9007199254740993', '99999999', '2.5', '0x10', '', 'abc'] as const;

/** One way to damage a valid file, described so a failing case can be read back. */
export type Damage =
  | { kind: 'truncate'; at: number }
  | { kind: 'number'; index: number; value: string }
  | { kind: 'drop-line'; index: number }
  | { kind: 'duplicate-line'; index: number }
  | { kind: 'swap-lines'; a: number; b: number }
  | { kind: 'empty' }
  | { kind: 'garbage'; at: number; text: string }
  | { kind: 'json-field'; index: number; value: unknown };

export const damageArbitrary: fc.Arbitrary<Damage> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.double({ min: 0, max: 1, noNaN: true }) }),
  fc.record({ kind: fc.constant('number' as const), index: fc.nat(1000), value: fc.constantFrom(...BAD_NUMBERS) }),
  fc.record({ kind: fc.constant('number' as const), index: fc.nat(1000), value: fc.constantFrom(...BAD_NUMBERS) }),
  fc.record({ kind: fc.constant('drop-line' as const), index: fc.nat(1000) }),
  fc.record({ kind: fc.constant('duplicate-line' as const), index: fc.nat(1000) }),
  fc.record({ kind: fc.constant('swap-lines' as const), a: fc.nat(1000), b: fc.nat(1000) }),
  fc.constant({ kind: 'empty' as const }),
  fc.record({ kind: fc.constant('garbage' as const), at: fc.double({ min: 0, max: 1, noNaN: true }), text: fc.constantFrom('\u0000\u0001', ' x ', '\n', '{', '}', ']', '"', '<', '-', '  \t ', '\ufeff', 'E 1 1 1\n', 'T 99\n', 'n 1 5\n') }),
  fc.record({
    kind: fc.constant('json-field' as const),
    index: fc.nat(1000),
    value: fc.constantFrom<unknown>(null, -1, 0, 1e308, -1e308, 1e15, 2.5, 'x', '', [], {}, true, [1, 2], 'NaN', 'Infinity', 1e9, 31, 64),
  }),
);

const NUMBER = /-?\d+(\.\d+)?(e-?\d+)?/gi;

/** Applies a damage; indices wrap around the file so every draw hits something. */
export function applyDamage(text: string, damage: Damage): string {
  const lines = text.split('\n');
  switch (damage.kind) {
    case 'truncate':
      return text.slice(0, Math.floor(text.length * damage.at));
    case 'number': {
      const spots = [...text.matchAll(NUMBER)];
      if (spots.length === 0) return text;
      const hit = spots[damage.index % spots.length]!;
      return text.slice(0, hit.index) + damage.value + text.slice(hit.index + hit[0].length);
    }
    case 'drop-line':
      return lines.filter((_, i) => i !== damage.index % lines.length).join('\n');
    case 'duplicate-line': {
      const i = damage.index % lines.length;
      return [...lines.slice(0, i + 1), lines[i]!, ...lines.slice(i + 1)].join('\n');
    }
    case 'swap-lines': {
      const a = damage.a % lines.length;
      const b = damage.b % lines.length;
      const copy = [...lines];
      [copy[a], copy[b]] = [copy[b]!, copy[a]!];
      return copy.join('\n');
    }
    case 'empty':
      return '';
    case 'garbage': {
      const at = Math.floor(text.length * damage.at);
      return text.slice(0, at) + damage.text + text.slice(at);
    }
    case 'json-field':
      return damageJson(text, damage.index, damage.value);
  }
}

/** Replaces the index-th value (any depth, in document order) of a JSON text; non-JSON text is returned as is. */
function damageJson(text: string, index: number, value: unknown): string {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    return text;
  }
  const slots: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) node.forEach((child, i) => (slots.push({ parent: node, key: i }), walk(child)));
    else if (node !== null && typeof node === 'object') for (const [k, child] of Object.entries(node)) slots.push({ parent: node as Record<string, unknown>, key: k }), walk(child);
  };
  walk(doc);
  if (slots.length === 0) return text;
  const slot = slots[index % slots.length]!;
  (slot.parent as Record<string | number, unknown>)[slot.key] = value;
  return JSON.stringify(doc);
}
