import { type ChildProcess, spawn } from 'node:child_process';
import { type IncomingMessage, type ServerResponse, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Companions in processes of their own (companion-process.ts) and the HTTP endpoint their hooks report to, for
 * tests that kill a companion in the middle of a hook call and start it again on the same store.
 */

/** One hook call as a companion process reported it. */
export interface ReportedHookCall {
  hook: string;
  key: string;
  attempt: number;
  paymentId: string;
  status: string;
  pid: number;
}

export interface HookReceiver {
  url: string;
  /** Every call that reached the receiver, in order (entered the hook). */
  calls: ReportedHookCall[];
  /** The calls answered 200: those hooks returned (unless their process died in between). */
  answered: ReportedHookCall[];
  /** While true, calls are held unanswered: the hook stays in progress until its process dies. */
  hold: boolean;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  const receiver: HookReceiver = { url: '', calls: [], answered: [], hold: false, close: async () => undefined };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const call = JSON.parse(body) as ReportedHookCall;
      receiver.calls.push(call);
      if (receiver.hold) return;
      receiver.answered.push(call);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  receiver.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hooks`;
  receiver.close = async () => {
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
    await closed;
  };
  return receiver;
}

export interface CompanionProcess {
  url: string;
  pid: number;
  /** What the process logged (one JSON line per entry), for failure messages. */
  log: string[];
  /** Resolves with the exit code or signal once the process ended. */
  exited: Promise<string>;
  kill(signal: NodeJS.Signals): Promise<string>;
}

const SERVER_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

/** Starts companion-process.ts with these variables; resolves once it listens. */
export async function startCompanionProcess(env: Record<string, string>): Promise<CompanionProcess> {
  // node itself runs the script (tsx as a loader), so that the pid is the companion's and a kill reaches it.
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'test/support/companion-process.ts'], {
    cwd: SERVER_DIR,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => log.push(...chunk.split('\n').filter(Boolean)));
  const exited = new Promise<string>((resolve) => child.once('exit', (code, signal) => resolve(signal ?? String(code))));
  const started = await new Promise<{ url: string; pid: number }>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`the companion process did not start in 20 s:\n${log.join('\n')}`)), 20_000);
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      out += chunk;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      clearTimeout(timer);
      resolve(JSON.parse(line));
    });
    void exited.then((how) => {
      clearTimeout(timer);
      reject(new Error(`the companion process ended (${how}) before it listened:\n${log.join('\n')}`));
    });
  });
  return {
    ...started,
    log,
    exited,
    async kill(signal) {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
