import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldSelectorMatches, requirementMatches, selectorMatches, tolerates, untoleratedTaint, type Requirement, type SelectorOperator } from '@emplace/kube';

describe('label selectors', () => {
  const labels = { env: 'prod', tier: 'primary' };
  it('matchLabels and each operator', () => {
    expect(selectorMatches({ matchLabels: { env: 'prod' }, matchExpressions: [] }, labels)).toBe(true);
    expect(selectorMatches({ matchLabels: { env: 'dev' }, matchExpressions: [] }, labels)).toBe(false);
    expect(requirementMatches({ key: 'env', operator: 'In', values: ['prod', 'dev'] }, labels)).toBe(true);
    expect(requirementMatches({ key: 'zone', operator: 'In', values: ['a'] }, labels)).toBe(false);
    expect(requirementMatches({ key: 'zone', operator: 'NotIn', values: ['a'] }, labels)).toBe(true); // missing label satisfies NotIn
    expect(requirementMatches({ key: 'env', operator: 'NotIn', values: ['prod'] }, labels)).toBe(false);
    expect(requirementMatches({ key: 'tier', operator: 'Exists', values: [] }, labels)).toBe(true);
    expect(requirementMatches({ key: 'tier', operator: 'DoesNotExist', values: [] }, labels)).toBe(false);
  });
  it('an empty selector matches everything', () => {
    expect(selectorMatches({ matchLabels: {}, matchExpressions: [] }, {})).toBe(true);
  });
  it('In and NotIn are complements, Exists and DoesNotExist too', () => {
    const value = fc.constantFrom('a', 'b', 'c');
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom('k', 'x'), value), fc.array(value, { minLength: 1 }), (lab, values) => {
        const r = (operator: SelectorOperator): Requirement => ({ key: 'k', operator, values: operator === 'In' || operator === 'NotIn' ? values : [] });
        expect(requirementMatches(r('In'), lab)).toBe(!requirementMatches(r('NotIn'), lab));
        expect(requirementMatches(r('Exists'), lab)).toBe(!requirementMatches(r('DoesNotExist'), lab));
        // a selector is the conjunction of its parts
        const sel = { matchLabels: {}, matchExpressions: [r('In'), r('Exists')] };
        expect(selectorMatches(sel, lab)).toBe(requirementMatches(r('In'), lab) && requirementMatches(r('Exists'), lab));
      }),
    );
  });
});

describe('Karmada field selector', () => {
  const fields = { provider: 'aws', region: 'us-east-1', zones: ['us-east-1a', 'us-east-1b'] };
  it('zone matches any of the cluster zones; provider and region as labels', () => {
    expect(fieldSelectorMatches([{ key: 'zone', operator: 'In', values: ['us-east-1b'] }], fields)).toBe(true);
    expect(fieldSelectorMatches([{ key: 'zone', operator: 'NotIn', values: ['us-east-1b'] }], fields)).toBe(false);
    expect(fieldSelectorMatches([{ key: 'zone', operator: 'In', values: ['x'] }], { zones: [] })).toBe(false);
    expect(fieldSelectorMatches([{ key: 'zone', operator: 'NotIn', values: ['x'] }], { zones: [] })).toBe(true);
    expect(fieldSelectorMatches([{ key: 'zone', operator: 'Exists', values: [] }], { zones: [] })).toBe(false);
    expect(fieldSelectorMatches([{ key: 'provider', operator: 'In', values: ['aws'] }, { key: 'region', operator: 'NotIn', values: ['eu-west-1'] }], fields)).toBe(true);
    expect(fieldSelectorMatches([{ key: 'region', operator: 'In', values: ['us-east-1'] }], { zones: [] })).toBe(false);
  });
});

describe('taints and tolerations', () => {
  const taint = { key: 'dedicated', value: 'gpu', effect: 'NoSchedule' };
  it('corev1 ToleratesTaint', () => {
    expect(tolerates({ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, taint)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Equal', value: 'cpu', effect: 'NoSchedule' }, taint)).toBe(false);
    expect(tolerates({ key: 'dedicated', operator: 'Exists', value: '', effect: '' }, taint)).toBe(true);
    expect(tolerates({ key: '', operator: 'Exists', value: '', effect: '' }, taint)).toBe(true);
    expect(tolerates({ key: 'dedicated', operator: 'Exists', value: '', effect: 'NoExecute' }, taint)).toBe(false);
  });
  it('only NoSchedule and NoExecute taints filter a cluster', () => {
    const soft = { key: 'k', value: '', effect: 'PreferNoSchedule' };
    expect(untoleratedTaint([soft], [], ['NoSchedule', 'NoExecute'])).toBeUndefined();
    expect(untoleratedTaint([soft, taint], [], ['NoSchedule', 'NoExecute'])).toEqual(taint);
  });
});
