// The renderer's memory, as the benchmarks report it.
import { readdirSync, readFileSync } from 'node:fs';

/** Peak resident set, in bytes, of the renderer processes under `rootPid` (workers and wasm live there; one browser runs at a time). */
export function rendererPeak(rootPid) {
  const children = new Map();
  for (const pid of readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      children.set(Number(pid), ppid);
    } catch { /* gone */ }
  }
  const descendants = new Set([rootPid]);
  for (let grew = true; grew;) {
    grew = false;
    for (const [pid, ppid] of children) {
      if (descendants.has(ppid) && !descendants.has(pid)) { descendants.add(pid); grew = true; }
    }
  }
  let peak = 0;
  for (const pid of descendants) {
    try {
      if (!readFileSync(`/proc/${pid}/cmdline`, 'utf8').includes('--type=renderer')) continue;
      const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (hwm) peak = Math.max(peak, Number(hwm[1]) * 1024);
    } catch { /* gone */ }
  }
  return peak;
}
