import { stringify } from 'yaml';

/** Objects as multi-document YAML, the way `kubectl get -o yaml` users read them. */
export function formatYaml(objects: readonly unknown[]): string {
  return objects.map((o) => stringify(o, { lineWidth: 0 })).join('---\n');
}
