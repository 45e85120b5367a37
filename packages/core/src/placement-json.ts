import { ModelError } from './errors.js';
import { describe } from './validate.js';
import type { PlacementInput } from './placement.js';

/**
 * A placement model as read from JSON, ready for createPlacementModel. JSON has no Infinity,
 * so emplace's JSON formats write an uncapacitated site as `null`: a `null` capacity (a whole
 * site, one entry of an array, or one dimension of a record) becomes Infinity here. `kind` and
 * `name` (the document's envelope) are dropped. Everything else passes through unchanged:
 * createPlacementModel validates it and names the field at fault.
 */
export function placementInputFromJson(item: Readonly<Record<string, unknown>>): PlacementInput {
  const input: Record<string, unknown> = { ...item };
  delete input['kind'];
  delete input['name'];
  if (Array.isArray(input['capacity'])) input['capacity'] = input['capacity'].map(nullToInfinity);
  if (Array.isArray(input['sites'])) {
    input['sites'] = input['sites'].map((s: unknown) => {
      if (s === null || typeof s !== 'object' || Array.isArray(s)) return s;
      const site: Record<string, unknown> = { ...s };
      const cap = site['capacity'];
      if (cap === null) delete site['capacity']; // absent = uncapacitated
      else if (Array.isArray(cap)) site['capacity'] = cap.map(nullToInfinity);
      else if (typeof cap === 'object') site['capacity'] = Object.fromEntries(Object.entries(cap as object).map(([d, v]) => [d, nullToInfinity(v)]));
      return site;
    });
  }
  assertPlacementInput(input);
  return input;
}

/**
 * The fields a PlacementInput cannot do without, checked at the top level (errors name
 * the field); every field's contents are checked by createPlacementModel, which names the
 * entry at fault.
 */
function assertPlacementInput(x: Record<string, unknown>): asserts x is Record<string, unknown> & PlacementInput {
  for (const field of ['sites', 'clients']) {
    const v = x[field];
    if (typeof v !== 'number' && !Array.isArray(v)) throw new ModelError(field, `must be a count or an array, got ${describe(v)}`);
  }
  if (x['cost'] === undefined || x['cost'] === null) throw new ModelError('cost', 'is required');
  if (!Array.isArray(x['cost'])) throw new ModelError('cost', `must be a sites x clients matrix (an array), got ${describe(x['cost'])}`);
}

function nullToInfinity(v: unknown): unknown {
  return v === null ? Infinity : v;
}
