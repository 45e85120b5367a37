import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The shared public instances, or undefined when the folder is absent (those tests are then skipped). */
export const instancesDir: string | undefined = (() => {
  const dir = process.env.EMPLACE_INSTANCES ?? resolve(dirname(fileURLToPath(import.meta.url)), '../../../../shared/instances');
  return existsSync(dir) ? dir : undefined;
})();
