// src/lib stays layered: no module imports itself through others, and no two stage folders import each
// other's code (shared names go below both, in src/lib/domain). Imports are read with the TypeScript parser.
import { describe, expect, it } from 'vitest';
import ts from 'typescript';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../helpers/env.ts';

const lib = resolve(repoRoot, 'src/lib');

interface Import {
  to: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Relative imports and re-exports of one file, each marked type-only when erased at run time. */
function importsOf(file: string): Import[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const out: Import[] = [];
  const add = (spec: ts.Expression | undefined, typeOnly: boolean) => {
    if (spec && ts.isStringLiteral(spec) && spec.text.startsWith('.'))
      out.push({ to: resolve(dirname(file), spec.text), typeOnly });
  };
  for (const s of src.statements) {
    if (ts.isImportDeclaration(s)) {
      const c = s.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : null;
      const allTypes = !!c && !c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(s.moduleSpecifier, !!c && (c.isTypeOnly || allTypes));
    } else if (ts.isExportDeclaration(s)) {
      const named = s.exportClause && ts.isNamedExports(s.exportClause) ? s.exportClause.elements : null;
      add(s.moduleSpecifier, s.isTypeOnly || (!!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    }
  }
  return out;
}

/** One cycle of the directed graph, as the nodes on it with the first repeated at the end, or null. */
export function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (n: string): string[] | null => {
    if (state.get(n) === 'done') return null;
    if (state.get(n) === 'open') return [...path.slice(path.indexOf(n)), n];
    state.set(n, 'open');
    path.push(n);
    for (const m of graph.get(n) ?? []) {
      const c = visit(m);
      if (c) return c;
    }
    path.pop();
    state.set(n, 'done');
    return null;
  };
  for (const n of graph.keys()) {
    const c = visit(n);
    if (c) return c;
  }
  return null;
}

function addEdge(graph: Map<string, Set<string>>, from: string, to: string) {
  if (!graph.has(from)) graph.set(from, new Set());
  graph.get(from)!.add(to);
}

const files = tsFiles(lib);
const imports = new Map(files.map((f) => [f, importsOf(f)]));

describe('import graph of src/lib', () => {
  it('finds a cycle when there is one (the check can fail)', () => {
    const g = new Map<string, Set<string>>();
    addEdge(g, 'a', 'b');
    addEdge(g, 'b', 'c');
    expect(findCycle(g)).toBeNull();
    addEdge(g, 'c', 'b');
    expect(findCycle(g)).toEqual(['b', 'c', 'b']);
  });

  it('has no cycle between modules, type-only imports included', () => {
    expect(files.length).toBeGreaterThan(50);
    const g = new Map<string, Set<string>>();
    for (const [f, list] of imports) for (const i of list) addEdge(g, relative(lib, f), relative(lib, i.to));
    expect(findCycle(g)).toBeNull();
  });

  it('has no cycle between stage folders through code that runs', () => {
    const folderOf = (f: string) => relative(lib, f).split('/')[0];
    const g = new Map<string, Set<string>>();
    for (const [f, list] of imports)
      for (const i of list) {
        const [a, b] = [folderOf(f), folderOf(i.to)];
        if (!i.typeOnly && a !== b && i.to.startsWith(lib)) addEdge(g, a, b);
      }
    expect(g.get('synth')).toBeDefined(); // the graph is really built
    expect(findCycle(g)).toBeNull();
  });
});
