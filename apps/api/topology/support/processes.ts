import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A child process of the topology: its output kept for failure messages, its end observable. */
export interface Proc {
  name: string;
  child: ChildProcess;
  /** The last lines it printed (stdout and stderr). */
  output(): string;
  alive(): boolean;
  /** Sends `signal` and waits for the end (SIGKILL after `graceMs`). */
  stop(signal?: NodeJS.Signals, graceMs?: number): Promise<void>;
}

/**
 * Starts `command` and resolves once a line of its output matches `ready` (with the match), or rejects
 * when it exits first or stays silent for `timeoutMs`. Each child has its own process group, so that
 * nothing it starts outlives the test.
 */
export function startProcess(
  name: string,
  command: string,
  args: string[],
  options: { env: NodeJS.ProcessEnv; cwd: string; ready: RegExp | null; timeoutMs?: number },
): Promise<{ proc: Proc; match: RegExpExecArray }> {
  const child = spawn(command, args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const lines: string[] = [];
  const remember = (chunk: Buffer) => {
    lines.push(...chunk.toString().split('\n').filter(Boolean));
    if (lines.length > 400) lines.splice(0, lines.length - 400);
  };
  const alive = () => child.exitCode === null && child.signalCode === null;
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const proc: Proc = {
    name,
    child,
    output: () => lines.join('\n'),
    alive,
    async stop(signal = 'SIGTERM', graceMs = 10_000) {
      if (!alive()) return;
      child.kill(signal);
      const timer = setTimeout(() => {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }, graceMs);
      await exited;
      clearTimeout(timer);
    },
  };
  // No line to wait for (nginx says nothing when it starts well): the caller probes it.
  if (!options.ready) {
    child.stdout!.on('data', remember);
    child.stderr!.on('data', remember);
    return Promise.resolve({ proc, match: [] as unknown as RegExpExecArray });
  }
  const ready = options.ready;
  return new Promise((resolve, reject) => {
    const timeoutMs = options.timeoutMs ?? 60_000;
    let buffered = '';
    const timer = setTimeout(() => {
      void proc.stop('SIGKILL');
      reject(new Error(`${name} was not ready within ${timeoutMs / 1000} s:\n${proc.output()}`));
    }, timeoutMs);
    const watch = (chunk: Buffer) => {
      remember(chunk);
      buffered += chunk.toString();
      const match = ready.exec(buffered);
      if (match) {
        clearTimeout(timer);
        buffered = '';
        child.stdout!.off('data', watch);
        child.stderr!.off('data', watch);
        child.stdout!.on('data', remember);
        child.stderr!.on('data', remember);
        resolve({ proc, match });
      }
    };
    child.stdout!.on('data', watch);
    child.stderr!.on('data', watch);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      reject(new Error(`${name} exited before it was ready (code ${code}, signal ${signal}):\n${proc.output()}`));
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => (port ? resolve(port) : reject(new Error('no free port'))));
    });
  });
}

/** Polls `probe` until it returns a value other than undefined/false, or fails after `timeoutMs`. */
export async function eventually<T>(probe: () => Promise<T | undefined | false>, timeoutMs: number, what: string): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > until) throw new Error(`${what}: not reached within ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
