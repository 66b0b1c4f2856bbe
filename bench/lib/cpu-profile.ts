import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

export interface SelfTime {
  function: string;
  file: string;
  selfPercent: number;
}

function shortFile(url: string, root: string): string {
  const path = url.replace(/^file:\/\//, '');
  if (!path) return '(native)';
  const modules = path.lastIndexOf('/node_modules/');
  if (modules >= 0) return path.slice(modules + 1);
  return path.startsWith(root) ? path.slice(root.length + 1).replace(/^bench\/\.out\//, '') : path;
}

/**
 * Self time per function (file:line) from a V8 .cpuprofile, as a share of the samples taken while
 * the process was not idle (after `skipMs`, to leave start-up out); plus the same per package / folder.
 */
export function summarizeProfile(
  file: string,
  root: string,
  top = 15,
  skipMs = 0,
): { functions: SelfTime[]; byArea: SelfTime[]; busySamples: number; idlePercent: number } {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as {
    nodes: ProfileNode[];
    samples?: number[];
    timeDeltas?: number[];
  };
  // Count samples after the first `skipMs` (start-up) only, when the profile has its timeline.
  if (skipMs > 0 && profile.samples && profile.timeDeltas) {
    const hits = new Map<number, number>();
    let t = 0;
    profile.samples.forEach((id, i) => {
      t += profile.timeDeltas![i] / 1000;
      if (t >= skipMs) hits.set(id, (hits.get(id) ?? 0) + 1);
    });
    for (const node of profile.nodes) node.hitCount = hits.get(node.id) ?? 0;
  }
  const self = new Map<string, { fn: string; file: string; hits: number }>();
  const area = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (!hits) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName === '(idle)') {
      idle += hits;
      continue;
    }
    busy += hits;
    const where = shortFile(url, root);
    const key = `${functionName}@${where}:${lineNumber}`;
    const entry = self.get(key) ?? {
      fn: functionName || '(anonymous)',
      file: url ? `${where}:${lineNumber + 1}` : where,
      hits: 0,
    };
    entry.hits += hits;
    self.set(key, entry);
    const areaName = where.startsWith('node_modules/')
      ? where
          .split('/')
          .slice(0, where.split('/')[1].startsWith('@') ? 3 : 2)
          .join('/')
      : where.startsWith('src/') || where.startsWith('dev/')
        ? where.split('/').slice(0, 2).join('/')
        : where.startsWith('node:')
          ? 'node: (core)'
          : functionName.startsWith('(')
            ? functionName
            : where;
    area.set(areaName, (area.get(areaName) ?? 0) + hits);
  }
  const pct = (hits: number) => Number(((hits / Math.max(1, busy)) * 100).toFixed(1));
  return {
    functions: [...self.values()]
      .sort((a, b) => b.hits - a.hits)
      .slice(0, top)
      .map((e) => ({ function: e.fn, file: e.file, selfPercent: pct(e.hits) })),
    byArea: [...area.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, hits]) => ({ function: name, file: '', selfPercent: pct(hits) })),
    busySamples: busy,
    idlePercent: Number(((idle / Math.max(1, idle + busy)) * 100).toFixed(1)),
  };
}

export function profilesIn(dir: string): string[] {
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.cpuprofile'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
}
