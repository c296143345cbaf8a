import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { repoRoot } from '../../support/paths.ts';

/** The source tree the rules of ARCHITECTURE.md hold for (tests have rules of their own). */
const SOURCE_ROOTS = ['support', 'reporters', 'scripts'];
const MAX_LINES = 400;
/** The only files that may read the process environment: the config module, and the mock's and bench's own CLIs. */
const ENV_READERS = [/^support\/config\//, /^support\/mock\/cli\.ts$/, /^scripts\/bench(\.ts|\/)/];

function sourceFiles(dir: string): string[] {
  return readdirSync(join(repoRoot, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory()) return sourceFiles(path);
    return /\.(ts|mjs)$/.test(entry.name) ? [path] : [];
  });
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)['"](\.{1,2}\/[^'"]+)['"]/gm;

/** Relative imports of one file, as repository paths. */
export function importsOf(file: string, text: string): string[] {
  return [...text.matchAll(IMPORT)].map((match) => relative(repoRoot, resolve(repoRoot, dirname(file), match[1])));
}

/** A cycle in a graph, as the nodes along it, or null. */
export function findCycle(graph: Map<string, Set<string>>): string[] | null {
  const state = new Map<string, 'open' | 'done'>();
  const path: string[] = [];
  const visit = (node: string): string[] | null => {
    if (state.get(node) === 'done') return null;
    if (state.get(node) === 'open') return [...path.slice(path.indexOf(node)), node];
    state.set(node, 'open');
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(node, 'done');
    return null;
  };
  for (const node of graph.keys()) {
    const cycle = visit(node);
    if (cycle) return cycle;
  }
  return null;
}

const files = SOURCE_ROOTS.flatMap(sourceFiles);
const texts = new Map(files.map((file) => [file, readFileSync(join(repoRoot, file), 'utf8')]));
const edges = new Map(files.map((file) => [file, new Set(importsOf(file, texts.get(file)!))]));

describe('the house keeps its rules (ARCHITECTURE.md)', () => {
  it('reads the imports it checks', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.get('support/runner/run-spec.ts')).toContain('support/catalogue/index.ts');
    for (const [file, targets] of edges) for (const target of targets) expect(texts.has(target) || !/^(support|reporters|scripts)\//.test(target), `${file} imports ${target}`).toBe(true);
  });

  it('has no import loop between files', () => {
    expect(findCycle(edges)).toBeNull();
  });

  it('has no import loop between folders', () => {
    const folders = new Map<string, Set<string>>();
    for (const [file, targets] of edges) {
      const from = dirname(file);
      for (const target of targets) {
        const to = dirname(target);
        // A folder and the folders inside it are one room's parts: only arrows between unrelated folders count.
        if (from === to || to.startsWith(`${from}/`) || from.startsWith(`${to}/`)) continue;
        if (!folders.has(from)) folders.set(from, new Set());
        folders.get(from)!.add(to);
      }
    }
    expect(findCycle(folders)).toBeNull();
  });

  it('keeps support/core free of our other modules', () => {
    const outward = files.filter((f) => f.startsWith('support/core/')).flatMap((file) => [...edges.get(file)!].filter((t) => !t.startsWith('support/core/')).map((t) => `${file} → ${t}`));
    expect(outward).toEqual([]);
  });

  it(`has no source file over ${MAX_LINES} lines`, () => {
    const long = files.filter((file) => texts.get(file)!.split('\n').length > MAX_LINES + 1);
    expect(long).toEqual([]);
  });

  it('reads process.env only in the config module and the mock and bench CLIs', () => {
    const readers = files.filter((file) => /process\.env\b/.test(texts.get(file)!) && !ENV_READERS.some((allowed) => allowed.test(file)));
    expect(readers).toEqual([]);
  });
});

describe('findCycle', () => {
  const graph = (pairs: [string, string][]) => {
    const g = new Map<string, Set<string>>();
    for (const [a, b] of pairs) {
      if (!g.has(a)) g.set(a, new Set());
      g.get(a)!.add(b);
    }
    return g;
  };
  it('finds a loop and names it, and passes a graph without one', () => {
    expect(findCycle(graph([['a', 'b'], ['b', 'c'], ['c', 'a']]))).toEqual(['a', 'b', 'c', 'a']);
    expect(findCycle(graph([['a', 'b'], ['a', 'c'], ['b', 'c']]))).toBeNull();
  });
  it('reads static, side-effect and dynamic imports', () => {
    const text = "import { a } from './a.ts';\nimport './b.ts';\nconst c = await import('../c.ts');\nimport x from 'node:fs';";
    expect(importsOf('support/x/y.ts', text)).toEqual(['support/x/a.ts', 'support/x/b.ts', 'support/c.ts']);
  });
});
