// Preload (`node --require bench/lib/loop-lag.cjs …`): records the event-loop delay of the process's main
// thread with perf_hooks.monitorEventLoopDelay and, every KEPT_LOOP_LAG_WINDOW_MS (250 ms), appends one
// line to $KEPT_LOOP_LAG_FILE: `<epoch ms> <max delay ms> <p99 delay ms> <ms the thread waited for a core>`.
// The last figure (from /proc/self/task/<tid>/schedstat, Linux) tells a stall of the thread's own work
// from the scheduler not giving it a core on a busy machine: both delay a /health answer alike.
const { monitorEventLoopDelay } = require('node:perf_hooks');
const { appendFileSync, readFileSync } = require('node:fs');

const file = process.env.KEPT_LOOP_LAG_FILE;
const windowMs = Number(process.env.KEPT_LOOP_LAG_WINDOW_MS || 250);
if (file) {
  const h = monitorEventLoopDelay({ resolution: 5 });
  h.enable();
  const schedstat = `/proc/self/task/${process.pid}/schedstat`;
  const waitedNs = () => {
    try {
      return Number(readFileSync(schedstat, 'utf8').split(' ')[1]);
    } catch {
      return NaN;
    }
  };
  let waited = waitedNs();
  const timer = setInterval(() => {
    const now = waitedNs();
    const line = `${Date.now()} ${(h.max / 1e6).toFixed(1)} ${(h.percentile(99) / 1e6).toFixed(1)} ${((now - waited) / 1e6).toFixed(1)}\n`;
    waited = now;
    h.reset();
    appendFileSync(file, line);
  }, windowMs);
  timer.unref();
}
