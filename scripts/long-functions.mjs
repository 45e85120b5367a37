// Counts functions longer than 80 lines in packages/*/src: node scripts/long-functions.mjs (issue 20 tracks this number).
// Counts functions longer than 80 lines in packages/*/src (function declarations, methods, arrow functions assigned to const), by brace matching.
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
const files = execSync("git ls-files 'packages/*/src/*.ts' 'packages/*/src/**/*.ts'", { encoding: 'utf8' }).trim().split('\n');
const rows = [];
for (const f of files) {
  const lines = readFileSync(f, 'utf8').split('\n');
  for (let i = 0; i < lines.length; i++) {
    const l = lines[i];
    const m = /^\s*(export\s+)?(async\s+)?function\*?\s+([A-Za-z0-9_$]+)|^\s*(export\s+)?const\s+([A-Za-z0-9_$]+)\s*=\s*(async\s*)?\(.*=>\s*\{\s*$|^\s+(private\s+|public\s+|static\s+|async\s+)*([A-Za-z0-9_$]+)\s*\(.*\)\s*(:\s*[^={]+)?\{\s*$/.exec(l);
    if (!m) continue;
    const name = m[3] ?? m[5] ?? m[8];
    if (!name || ['if', 'for', 'while', 'switch', 'catch', 'function'].includes(name)) continue;
    let depth = 0, started = false, j = i;
    for (; j < lines.length; j++) {
      for (const ch of lines[j].replace(/\/\/.*$/, '').replace(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|`(?:[^`\\]|\\.)*`/g, '')) {
        if (ch === '{') { depth++; started = true; } else if (ch === '}') depth--;
      }
      if (started && depth <= 0) break;
    }
    const len = j - i + 1;
    if (len > 80) rows.push([len, `${f}:${i + 1} ${name}`]);
  }
}
rows.sort((a, b) => b[0] - a[0]);
for (const [n, w] of rows) console.log(n, w);
console.log('total', rows.length);
