// Where the send path's time goes: a V8 CPU profile (`node --cpu-prof`) of the workers process,
// reduced to self time per package or source area and the hottest functions.
import { readdir, readFile, stat } from 'node:fs/promises';
import path from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  file: string;
  totalMs: number;
  byArea: Array<{ area: string; ms: number; share: number }>;
  topFunctions: Array<{ fn: string; ms: number; share: number }>;
}

/** Summarises the largest .cpuprofile in `dir`: the main thread's (worker threads write their own). */
export async function summariseProfile(dir: string, top = 25): Promise<ProfileSummary> {
  const names = (await readdir(dir)).filter((f) => f.endsWith('.cpuprofile'));
  if (names.length === 0) throw new Error(`no .cpuprofile in ${dir}`);
  const sizes = await Promise.all(names.map(async (name) => ({ name, size: (await stat(path.join(dir, name))).size })));
  const file = path.join(dir, sizes.sort((a, b) => b.size - a.size)[0]!.name);
  const profile = JSON.parse(await readFile(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, i) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[i] ?? 0)));
  const totalUs = [...selfUs.values()].reduce((a, b) => a + b, 0);

  const areas = new Map<string, number>();
  const functions = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    areas.set(areaOf(frame.url, frame.functionName), (areas.get(areaOf(frame.url, frame.functionName)) ?? 0) + us);
    const fn = `${frame.functionName || '(anonymous)'} ${shortUrl(frame.url)}:${frame.lineNumber + 1}`;
    functions.set(fn, (functions.get(fn) ?? 0) + us);
  }
  const rank = (m: Map<string, number>) =>
    [...m.entries()].sort((a, b) => b[1] - a[1]).slice(0, top).map(([name, us]) => ({ name, ms: Math.round(us / 1000), share: Math.round((us / totalUs) * 1000) / 10 }));
  return {
    file,
    totalMs: Math.round(totalUs / 1000),
    byArea: rank(areas).map(({ name, ...rest }) => ({ area: name, ...rest })),
    topFunctions: rank(functions).map(({ name, ...rest }) => ({ fn: name, ...rest })),
  };
}

/** A package under node_modules, Node's internals, our own source folder, or V8's pseudo-frames. */
function areaOf(url: string, functionName: string): string {
  if (!url) return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  if (url.startsWith('node:')) return `node:${url.slice(5).split('/')[0]}`;
  const own = /\/(src\/[^/]+|workers|bench)\//.exec(url);
  return own ? own[1]! : shortUrl(url);
}

function shortUrl(url: string): string {
  return url.replace(/^file:\/\/.*?\/(node_modules|src|workers|bench)\//, '$1/');
}
