// Preload (`node --require bench/api/cpu-profile.cjs …`): profiles the process and writes the profile to
// $KEPT_CPU_PROFILE when it receives SIGWINCH (not one of the signals Nest's shutdown hooks take;
// bench:api --cpu-prof sends it before stopping the API: a process ended by SIGTERM would not write
// `--cpu-prof`'s file). From the process's start, or, with KEPT_CPU_PROFILE_ON_SIGNAL=1, from a first
// SIGWINCH (the second then writes the file): so a profile can hold only the requests measured.
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');

const session = new inspector.Session();
session.connect();
let started = false;
const start = () => session.post('Profiler.enable', () => session.post('Profiler.start', () => (started = true)));
if (process.env.KEPT_CPU_PROFILE_ON_SIGNAL !== '1') start();
process.on('SIGWINCH', () => {
  if (!started) return start();
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(process.env.KEPT_CPU_PROFILE, JSON.stringify(result.profile));
    process.stderr.write(err ? `cpu profile failed: ${err}\n` : `cpu profile written to ${process.env.KEPT_CPU_PROFILE}\n`);
  });
});
