// Preload (`node --require bench/api/cpu-profile.cjs …`): profiles the process from its start and writes
// the profile to $KEPT_CPU_PROFILE when it receives SIGWINCH (not one of the signals Nest's shutdown hooks
// take; bench:api --cpu-prof sends it before
// stopping the API: a process ended by SIGTERM would not write `--cpu-prof`'s file).
const inspector = require('node:inspector');
const { writeFileSync } = require('node:fs');

const session = new inspector.Session();
session.connect();
session.post('Profiler.enable', () => session.post('Profiler.start'));
process.on('SIGWINCH', () => {
  session.post('Profiler.stop', (err, result) => {
    if (!err) writeFileSync(process.env.KEPT_CPU_PROFILE, JSON.stringify(result.profile));
    process.stderr.write(err ? `cpu profile failed: ${err}\n` : `cpu profile written to ${process.env.KEPT_CPU_PROFILE}\n`);
  });
});
