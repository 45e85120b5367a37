import { allFamilies, type CliFamily, type CliOption } from '@emplace/cli';
import fc from 'fast-check';

const NUMBER_VALUES = ['0', '1', '2', '3', '-1', '1.5', '1e308', 'NaN', 'Infinity', '1000', '1e-9', 'abc', ''];
const NODE_VALUES = ['1', '2', '3', 'v1', 'v2', 'n1', '0', '99', 'zz', ''];

/** Plausible values for the options a family requires, so that most cases reach the solver. */
export function requiredArgs(family: CliFamily): string[] {
  const args: string[] = [];
  for (const option of family.options ?? []) {
    if (!option.required) continue;
    args.push(`--${option.name}`, plausibleValue(family, option));
  }
  // Files without a k of their own (JSON, AWS latency) need one for the k-site families.
  if ((family.options ?? []).some((o) => o.name === 'k') && !['pmedian', 'partition'].includes(family.name)) args.push('--k', '2');
  return args;
}

function plausibleValue(family: CliFamily, option: CliOption): string {
  if (option.choices) return option.choices[0]!;
  if (option.name === 'source') return family.name === 'maxflow' ? '1' : '1';
  if (option.name === 'sink') return '2';
  if (option.name === 'radius') return '30';
  return option.type === 'string' ? 'x' : '1';
}

function valuesOf(option: CliOption): string[] {
  if (option.type === 'boolean') return ['', 'true', 'false', 'yes'];
  if (option.choices) return [...option.choices, 'bogus', ''];
  if (option.name === 'source' || option.name === 'sink' || option.name === 'item') return NODE_VALUES;
  if (option.type === 'string') return ['x', '', '1', 'cost', 'cost,latency', 'latency,latency', 'random', '[0,1]', 'zone'];
  return NUMBER_VALUES;
}

/** Every option some family declares, for "an option this family does not use". */
const everyOption: CliOption[] = [...new Map(allFamilies.flatMap((f) => f.options ?? []).map((o) => [o.name, o])).values()];

/** One adversarial option (name and value tokens) for a family. */
export function flagArbitrary(family: CliFamily): fc.Arbitrary<string[]> {
  const own = family.options ?? [];
  const withValue = (option: CliOption): fc.Arbitrary<string[]> =>
    fc.constantFrom(...valuesOf(option)).map((v) => (option.type === 'boolean' ? (v === '' ? [`--${option.name}`] : [`--${option.name}=${v}`]) : [`--${option.name}`, v]));
  const choices: fc.Arbitrary<string[]>[] = [
    fc.constantFrom(...everyOption).chain(withValue),
    fc.constantFrom(['--time-limt', '3'], ['--k'], ['--frobnicate'], ['-k', '2'], ['--json=1'], ['--seed', '-3'], ['--seed', '2.5'], ['--seed', '9'], ['--time-limit', '0'], ['--time-limit', '0.001'], ['--time-limit', '-1'], ['--time-limit', 'NaN']),
    fc.constantFrom('0', '1', '2', '3', '5', '1000', '-1', '1.5').map((k) => ['--k', k]),
    fc.constantFrom(...family.methods, 'bogus').map((m) => ['--method', m]),
    fc.constantFrom('orlib-cap', 'orlib-pmed', 'orlib-gap', 'steinlib', 'edge-list', 'emplace-json', 'dimacs-mincost', 'bogus').map((f) => ['--format', f]),
  ];
  if (own.length > 0) choices.push(fc.constantFrom(...own).chain(withValue), fc.constantFrom(...own).chain(withValue));
  return fc.oneof(...choices);
}

/** Zero to three adversarial options. */
export function flagsArbitrary(family: CliFamily): fc.Arbitrary<string[]> {
  return fc.array(flagArbitrary(family), { maxLength: 3 }).map((groups) => groups.flat());
}

/** Adds --time-limit 2 unless the flags give one, so no case can run unbounded. */
export function bounded(args: string[]): string[] {
  return args.includes('--time-limit') ? args : [...args, '--time-limit', '2'];
}
