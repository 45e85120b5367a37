// Counts functions longer than 80 lines in packages/*/src: node scripts/long-functions.mjs (issue 20 tracks this number).
// Every function-like node of the TypeScript AST counts (declarations, methods incl. generator
// methods, constructors, accessors, arrow functions and function expressions), measured from its
// first to its last line; a function nested in a long one is counted on its own too.
import { readFileSync } from 'node:fs';
import { execSync } from 'node:child_process';
import ts from 'typescript';

const LIMIT = 80;
const files = execSync("git ls-files 'packages/*/src/*.ts' 'packages/*/src/**/*.ts'", { encoding: 'utf8' }).trim().split('\n');
const rows = [];
for (const f of files) {
  const source = ts.createSourceFile(f, readFileSync(f, 'utf8'), ts.ScriptTarget.Latest, true);
  const visit = (node) => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const first = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const last = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      const len = last - first + 1;
      if (len > LIMIT) rows.push([len, `${f}:${first + 1} ${nameOf(node)}`]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
}

function nameOf(node) {
  if (node.name && ts.isIdentifier(node.name)) return node.name.text;
  if (ts.isConstructorDeclaration(node)) return 'constructor';
  const parent = node.parent;
  if (parent && ts.isVariableDeclaration(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  if (parent && ts.isPropertyAssignment(parent) && ts.isIdentifier(parent.name)) return parent.name.text;
  return '(anonymous)';
}

rows.sort((a, b) => b[0] - a[0]);
for (const [n, w] of rows) console.log(n, w);
console.log('total', rows.length);
