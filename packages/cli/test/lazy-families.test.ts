import { describe, expect, it } from 'vitest';
import { allFamilies } from '@emplace/cli';
import { FAMILY_MODULE, loadFamilyModule } from '../src/families/lazy.js';

describe('lazy family modules', () => {
  it('name, for every family, the module that defines it (and no other family)', async () => {
    expect(Object.keys(FAMILY_MODULE).sort()).toEqual(allFamilies.map((f) => f.name).sort());
    for (const family of allFamilies) {
      const some = await loadFamilyModule(family.name);
      expect(some?.map((f) => f.name), family.name).toContain(family.name);
    }
  });

  it('load nothing for an unknown name', async () => {
    expect(await loadFamilyModule('nope')).toBeUndefined();
    expect(await loadFamilyModule('toString')).toBeUndefined();
  });
});
