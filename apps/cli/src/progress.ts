import { SingleBar, Presets } from 'cli-progress';

/** A progress bar on stderr, only when stderr is a terminal: stdout stays clean for --json and pipes. */
export interface Progress {
  start(total: number, label: string): void;
  update(value: number): void;
  stop(): void;
}

export function progress(enabled = process.stderr.isTTY === true): Progress {
  if (!enabled) return { start: () => undefined, update: () => undefined, stop: () => undefined };
  let bar: SingleBar | null = null;
  return {
    start(total, label) {
      bar?.stop();
      bar = new SingleBar({ stream: process.stderr, format: `${label.padEnd(10)} [{bar}] {percentage}% | {eta_formatted} left`, hideCursor: true, etaBuffer: 50, noTTYOutput: true, notTTYSchedule: 1000 }, Presets.shades_classic);
      bar.start(total, 0);
    },
    update(value) {
      bar?.update(value);
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
