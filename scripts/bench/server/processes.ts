import { type ChildProcess, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The benchmark's servers, each a child process of its own: node with tsx as a loader, on the packages' sources. */

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, '..', '..', '..');
/** USER_HZ: Linux reports process times in hundredths of a second. */
const CLOCK_TICKS = 100;

export interface ServerProcess {
  name: string;
  url: string;
  pid: number;
  /** What it wrote to stderr, for failure messages. */
  log: string[];
  /** Resident set size now, from /proc/<pid>/status: VmRSS and its peak VmHWM, in KiB. */
  memory(): { rssKiB: number; peakKiB: number };
  /** CPU time the process has used so far (user + system), in ms, from /proc/<pid>/stat (10 ms ticks). */
  cpuMs(): number;
  /** Sends a command over the IPC channel (companion only) and answers its reply. */
  ask<T extends object>(command: Record<string, unknown>): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `scripts/bench/server/<script>` with these variables; resolves once it prints its `{"url","pid"}` line. */
export async function startProcess(name: string, script: string, env: Record<string, string> = {}): Promise<ServerProcess> {
  // node itself runs the script (tsx as a loader), so that the pid is the server's own and its RSS is what we read.
  const child: ChildProcess = spawn(process.execPath, ['--conditions=@payment-checkout/source', '--import', 'tsx', join(HERE, script)], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const log: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.push(...chunk.split('\n').filter(Boolean)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const started = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`${name} did not start in 30 s:\n${log.join('\n')}`)), 30_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line) as { url: string; pid: number });
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${name} ended before it listened:\n${log.join('\n')}`));
    });
  });
  let nextId = 0;
  const waiting = new Map<number, (reply: object) => void>();
  child.on('message', (reply: { id: number }) => waiting.get(reply.id)?.(reply));
  return {
    name,
    ...started,
    log,
    memory() {
      const status = readFileSync(`/proc/${started.pid}/status`, 'utf8');
      const kib = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
      return { rssKiB: kib('VmRSS'), peakKiB: kib('VmHWM') };
    },
    cpuMs() {
      // Fields after the command name (which may hold spaces): utime and stime are the 12th and 13th.
      const stat = readFileSync(`/proc/${started.pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      return (Number(fields[11]) + Number(fields[12])) * (1000 / CLOCK_TICKS);
    },
    ask<T extends object>(command: Record<string, unknown>) {
      const id = nextId++;
      return new Promise<T>((resolve) => {
        waiting.set(id, (reply) => {
          waiting.delete(id);
          resolve(reply as T);
        });
        child.send({ id, ...command });
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      const killed = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(killed);
    },
  };
}
