import { readFileSync } from 'node:fs';
import { relative } from 'node:path';

/** Reads a V8 .cpuprofile (what `node --cpu-prof` and the inspector's Profiler.stop write) into self and total times. */

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileEntry {
  name: string;
  ms: number;
  /** Share of the busy time (all samples but idle). */
  share: number;
}

export interface ProfileSummary {
  wallMs: number;
  busyMs: number;
  /** Functions by the time spent in their own code. */
  self: ProfileEntry[];
  /** Files and packages by self time (node_modules grouped by package). */
  byModule: ProfileEntry[];
  /** The project's own functions (packages/*\/src) by the time spent in them and what they call. */
  total: ProfileEntry[];
}

const IDLE = '(idle)';

function place(url: string, root: string): string {
  if (!url) return '';
  const path = url.startsWith('file://') ? decodeURIComponent(new URL(url).pathname) : url;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(path);
  if (modules) return modules[1];
  return path.startsWith('/') ? relative(root, path) : path;
}

export function summariseProfile(file: string, root: string, top = 15): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  // Where a frame's code lives; a native function (no URL) is placed with the nearest caller that has one.
  const home = (node: ProfileNode): string => {
    for (let n: ProfileNode | undefined = node; n; n = byId.get(parent.get(n.id) ?? -1)) if (n.callFrame.url) return place(n.callFrame.url, root);
    return '';
  };
  const label = (node: ProfileNode) => {
    const { functionName, url, lineNumber } = node.callFrame;
    if (functionName.startsWith('(') && !url) return functionName;
    if (!url) return `${functionName || '(anonymous)'} [native] ← ${home(node) || '?'}`;
    const where = place(url, root);
    // tsx compiles the project's files on the fly: line numbers are the generated code's, so only the file is named.
    return where.endsWith('.ts') ? `${functionName || '(anonymous)'} ${where}` : `${functionName || '(anonymous)'} ${where}:${lineNumber + 1}`;
  };
  const self = new Map<string, number>();
  const modules = new Map<string, number>();
  const total = new Map<string, number>();
  let busy = 0;
  profile.samples.forEach((id, i) => {
    // A sample's delta is the time until the next one: charge it to this sample's frame.
    const ms = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    const leaf = byId.get(id)!;
    if (leaf.callFrame.functionName === IDLE) return;
    busy += ms;
    self.set(label(leaf), (self.get(label(leaf)) ?? 0) + ms);
    const module = home(leaf) || leaf.callFrame.functionName;
    modules.set(module, (modules.get(module) ?? 0) + ms);
    // Each of the project's functions on the stack once, however deep it recurses.
    const seen = new Set<string>();
    for (let node: ProfileNode | undefined = leaf; node; node = byId.get(parent.get(node.id) ?? -1)) {
      if (!/\/packages\/[^/]+\/src\//.test(node.callFrame.url)) continue;
      const key = label(node);
      if (seen.has(key)) continue;
      seen.add(key);
      total.set(key, (total.get(key) ?? 0) + ms);
    }
  });
  const ranked = (map: Map<string, number>) =>
    [...map]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms, share: ms / busy }));
  return { wallMs: (profile.endTime - profile.startTime) / 1000, busyMs: busy, self: ranked(self), byModule: ranked(modules), total: ranked(total) };
}
