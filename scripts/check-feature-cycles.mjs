// Fails when two features (folders under src/) depend on each other through any chain of imports.
// dependency-cruiser (`.dependency-cruiser.cjs`) reads the imports and checks cycles between
// files; this folds its graph to one node per feature, which it cannot do in a rule.
import { cruise } from 'dependency-cruiser';

const TEST_CODE = /\.spec\.ts$|\.test-factory\.ts$|\/testing\//;
const featureOf = (path) => /^src\/([^/]+)\//.exec(path)?.[1];

const { output } = await cruise(['src'], {
  doNotFollow: { path: 'node_modules' },
  tsPreCompilationDeps: true,
  tsConfig: { fileName: 'tsconfig.json' },
});
const edges = new Map();
for (const module of output.modules) {
  const from = featureOf(module.source);
  if (!from || TEST_CODE.test(module.source)) continue;
  for (const dependency of module.dependencies) {
    const to = featureOf(dependency.resolved);
    if (!to || to === from) continue;
    if (!edges.has(from)) edges.set(from, new Map());
    if (!edges.get(from).has(to))
      edges.get(from).set(to, `${module.source} → ${dependency.resolved}`);
  }
}

/** A path of features from `start` back to itself, or undefined. */
function cycleFrom(start) {
  const stack = [[start, [start]]];
  const seen = new Set();
  while (stack.length > 0) {
    const [node, path] = stack.pop();
    for (const next of edges.get(node)?.keys() ?? []) {
      if (next === start) return [...path, start];
      if (!seen.has(next)) {
        seen.add(next);
        stack.push([next, [...path, next]]);
      }
    }
  }
  return undefined;
}

const cycles = new Map();
for (const feature of edges.keys()) {
  const cycle = cycleFrom(feature);
  if (cycle) cycles.set([...new Set(cycle)].sort().join(','), cycle);
}
if (cycles.size === 0) {
  console.log(`✔ no cycles between the ${edges.size} features under src/`);
} else {
  for (const cycle of cycles.values()) {
    console.error(`✖ features in a cycle: ${cycle.join(' → ')}`);
    for (let i = 0; i < cycle.length - 1; i++)
      console.error(`    ${edges.get(cycle[i]).get(cycle[i + 1])}`);
  }
  process.exit(1);
}
