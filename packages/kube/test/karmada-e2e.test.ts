import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';
import { decisionRecord, readObjects, reconcile } from '@emplace/kube';

const here = dirname(fileURLToPath(import.meta.url));
const fixture = (name: string) => readObjects(readFileSync(join(here, 'fixtures', name), 'utf8'), name);

describe('worked Karmada example', () => {
  it('karmada and optimal strategies', async () => {
    const objs = fixture('karmada-worked.yaml');
    for (const s of ['karmada', 'optimal'] as const) {
      const r = await reconcile(objs, { strategy: s, timeLimitMs: 5000 });
      for (const d of r.decisions) console.log(s, JSON.stringify(decisionRecord(d)));
    }
  });
});
