// Runs a command and measures it as a whole: wall time, and the peak memory of its process tree
// (every descendant, language servers included) from /proc, sampled while it runs. Linux only.

import { spawn } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';

export interface Measured {
  ms: number;
  code: number;
  stdout: Buffer;
  stderr: string;
  /** Sum over every process of the tree of its own peak resident memory (VmHWM), in MB: an upper bound of the tree's peak at any one moment. */
  treeMb: number;
  /**
   * The largest sum of the tree's resident memory (VmRSS) seen at one sample, in MB: the tree's
   * peak at one moment (a lower bound, samples are 20 ms apart), where `treeMb` adds up processes
   * that never ran together (one git process after another).
   */
  concurrentMb: number;
  /** The command's own process's peak, in MB. */
  selfMb: number;
  processes: number;
}

const SAMPLE_MS = 20;

function parentOf(pid: string): string | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The name field may hold spaces and parentheses: the fields after its last ')' are fixed.
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1] ?? null;
  } catch {
    return null;
  }
}

/** VmHWM (the process's peak) and VmRSS (now) of a process, in kB. */
function memoryKb(pid: string): { hwm: number; rss: number } | null {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const hwm = /^VmHWM:\s+(\d+) kB$/m.exec(status);
    const rss = /^VmRSS:\s+(\d+) kB$/m.exec(status);
    return hwm && rss ? { hwm: Number(hwm[1]), rss: Number(rss[1]) } : null;
  } catch {
    return null;
  }
}

export function runMeasured(command: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv; keepStdout?: boolean }): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    const root = String(child.pid);
    const peaks = new Map<string, number>();
    let concurrent = 0;
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => { if (opts.keepStdout) out.push(c); });
    child.stderr.on('data', (c: Buffer) => { stderr += c.toString('utf8'); });
    const sample = () => {
      const parents = new Map<string, string>();
      for (const pid of readdirSync('/proc')) {
        if (!/^\d+$/.test(pid)) continue;
        const ppid = parentOf(pid);
        if (ppid) parents.set(pid, ppid);
      }
      const inTree = (pid: string): boolean => {
        for (let p: string | undefined = pid, hops = 0; p && hops < 64; p = parents.get(p), hops++) if (p === root) return true;
        return false;
      };
      let now = 0;
      for (const pid of parents.keys()) {
        if (!inTree(pid)) continue;
        const kb = memoryKb(pid);
        if (kb === null) continue;
        peaks.set(pid, Math.max(peaks.get(pid) ?? 0, kb.hwm));
        now += kb.rss;
      }
      concurrent = Math.max(concurrent, now);
    };
    const timer = setInterval(sample, SAMPLE_MS);
    child.on('error', (e) => {
      clearInterval(timer);
      reject(e);
    });
    child.on('close', (code) => {
      clearInterval(timer);
      const all = [...peaks.values()];
      resolve({
        ms: performance.now() - t0,
        code: code ?? -1,
        stdout: Buffer.concat(out),
        stderr,
        treeMb: Math.round(all.reduce((s, k) => s + k, 0) / 1024),
        concurrentMb: Math.round(concurrent / 1024),
        selfMb: Math.round((peaks.get(root) ?? 0) / 1024),
        processes: peaks.size,
      });
    });
  });
}

/** The machine's load while a figure was taken ("load 3.1 2.8 2.5"), to read the figure by. */
export function loadAverage(): string {
  try {
    return `load ${readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ')}`;
  } catch {
    return 'load unknown';
  }
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
