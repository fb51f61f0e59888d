import { ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '../../../..');

/** A built entry point (`dist/…`, a script; a `.sh` file runs under /bin/sh) started as its own process, with its output collected. */
export interface Spawned {
  child: ChildProcess;
  output(): string;
  /** Resolves with the first match of `pattern` in the output (fails if the process exits first). */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** Resolves with the exit code (or the signal's name) once the process has ended. */
  exited: Promise<number | string>;
}

export function spawnBuilt(entry: string, env: Record<string, string>, args: string[] = []): Spawned {
  const file = path.join(ROOT, entry);
  if (!existsSync(file)) throw new Error(`${entry} is missing: build first (npx nx run-many -t build)`);
  const [command, argv] = file.endsWith('.sh') ? ['/bin/sh', [file, ...args]] : [process.execPath, [file, ...args]];
  const child = spawn(command, argv, { cwd: ROOT, env: { PATH: process.env.PATH ?? '', TZ: 'UTC', ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  const listeners = new Set<() => void>();
  const onData = (c: Buffer) => {
    out += c.toString();
    for (const l of listeners) l();
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<number | string>((resolve) => child.once('exit', (code, signal) => resolve(code ?? signal ?? -1)));
  return {
    child,
    output: () => out,
    exited,
    waitFor(pattern, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const m = out.match(pattern);
          if (!m) return;
          done();
          resolve(m);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`${entry}: ${pattern} not seen within ${timeoutMs} ms; output:\n${out}`));
        }, timeoutMs);
        const gone = () => {
          done();
          reject(new Error(`${entry} exited before ${pattern}; output:\n${out}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          child.off('exit', gone);
        };
        listeners.add(check);
        child.once('exit', gone);
        check();
      });
    },
  };
}
