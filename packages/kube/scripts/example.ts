/**
 * The README example: `pnpm exec tsx --conditions=source packages/kube/scripts/example.ts`
 * from the repository root.
 */
import { readFileSync } from 'node:fs';
import { decisionRecord, readObjects, reconcile } from '@emplace/kube';

// What `kubectl get clusters,propagationpolicies,resourcebindings -A -o yaml` printed.
const objects = readObjects(readFileSync('packages/kube/test/fixtures/karmada-worked.yaml', 'utf8'));
for (const strategy of ['karmada', 'optimal'] as const) {
  const { decisions } = await reconcile(objects, { strategy });
  for (const d of decisions) console.log(strategy, JSON.stringify(decisionRecord(d)));
  // d.written: the ResourceBinding with spec.clusters; d.patches: what the controller would send
}
