#!/usr/bin/env node
// Builds the static browser demo into examples/browser/dist/ (index.html, main.js, and HiGHS's
// highs.mjs + highs.wasm), bundled with esbuild for the browser with no externals.
// Usage: node examples/browser/build.mjs [--out DIR] [--serve [PORT]]
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const args = process.argv.slice(2);
const outIdx = args.indexOf('--out');
const out = resolve(outIdx >= 0 ? args[outIdx + 1] : join(here, 'dist'));

/** Bundles the demo into `dir`; returns the size of main.js in bytes. */
export async function buildDemo(dir) {
  mkdirSync(dir, { recursive: true });
  const result = await build({
    entryPoints: [join(here, 'main.ts')],
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    // Workspace sources (the `source` condition); a project using the published packages drops it.
    conditions: ['source'],
    minify: true,
    sourcemap: false,
    outfile: join(dir, 'main.js'),
    logLevel: 'warning',
    metafile: true,
  });
  copyFileSync(join(here, 'index.html'), join(dir, 'index.html'));
  const lpRequire = createRequire(join(here, '..', '..', 'packages', 'lp', 'package.json'));
  const highsDir = dirname(lpRequire.resolve('highs/runtime'));
  for (const f of ['highs.mjs', 'highs.wasm']) copyFileSync(join(highsDir, f), join(dir, f));
  const inputs = Object.keys(result.metafile.inputs);
  const nodeOnly = inputs.filter((p) => p.startsWith('node:'));
  if (nodeOnly.length > 0) throw new Error(`the browser bundle reached Node modules: ${nodeOnly.join(', ')}`);
  return result.metafile.outputs[Object.keys(result.metafile.outputs)[0]].bytes;
}

const TYPES = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };

/** Serves `dir` on 127.0.0.1:`port` (0 = any free port); resolves to the server's URL and the paths requested so far. */
export function serve(dir, port = 0) {
  const requests = [];
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    requests.push(path);
    const file = join(dir, path === '/' ? 'index.html' : path.slice(1));
    try {
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  return new Promise((ok) => server.listen(port, '127.0.0.1', () => ok({ url: `http://127.0.0.1:${server.address().port}/`, server, requests })));
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const bytes = await buildDemo(out);
  console.log(`browser demo: ${out} (main.js ${(bytes / 1024).toFixed(0)} kB minified)`);
  const s = args.indexOf('--serve');
  if (s >= 0) {
    const { url } = await serve(out, Number(args[s + 1] ?? 8080) || 8080);
    console.log(`serving at ${url} (Ctrl-C to stop)`);
  }
}
