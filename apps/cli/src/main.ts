#!/usr/bin/env node
import { Command, InvalidArgumentError, Option } from 'commander';
import { HistoryFileError } from '@kept/history';
import { runEvaluate } from './commands/evaluate';
import { runImport } from './commands/import';
import { runTenantCreate } from './commands/tenant';

const number = (name: string, min: number, max: number) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new InvalidArgumentError(`${name} must be a number between ${min} and ${max}`);
  return n;
};

export function buildProgram(): Command {
  const program = new Command('kept').description('Kept: import ticket history and evaluate promise recommendations on it').showHelpAfterError();

  program
    .command('evaluate')
    .description('replay history in time order: what would the recommender have promised, and how often kept?')
    .argument('<file>', 'CSV file of cases')
    .requiredOption('-m, --mapping <file>', 'mapping JSON (see mappings/)')
    .option('-t, --target <rate>', 'target keep-rate', number('--target', 0.01, 0.99), 0.9)
    .option('--history <file>', 'earlier history to learn from first, without scoring it')
    .option('--history-mapping <file>', 'mapping of --history when it differs')
    .option('--score-from <iso>', 'learn from rows created before this instant, score only later ones')
    .option('--half-life <days>', 'recency half-life in days', number('--half-life', 0.1, 100000), 60)
    .option('--no-calibration', 'turn off the adaptive conformal correction')
    .addOption(new Option('--calibrate-by <scope>', 'one adaptive level per category (Mondrian) or one for all').choices(['category', 'global']).default('category'))
    .addOption(new Option('--calibrator <kind>', 'dtaci: several trackers combined online (default); aci: one tracker of step 0.005 (the earlier model)').choices(['dtaci', 'aci']).default('dtaci'))
    .option('--no-honest', 'promise at the target even where it cannot be stood behind (the earlier model)')
    .option('--levels <names>', 'segment levels by hand, most general first, comma-separated (default: chosen on the history by the pinball loss at the target)', (v: string) => v.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .option('--plot <file.svg>', 'draw the frontier with the organization\'s point and the monthly keep-rate into an SVG file')
    .option('--epoch-minutes <n>', 'how often (simulated minutes) open cases are re-censored and curves refreshed', number('--epoch-minutes', 1, 100000), 60)
    .option('--categories <n>', 'categories listed in the text report', number('--categories', 0, 100000), 15)
    .addOption(new Option('--progress', 'show a progress bar on stderr (default: when stderr is a terminal)'))
    .option('--json', 'print the figures as one JSON object on the last line')
    .action(async (file: string, opts) => {
      await runEvaluate(file, opts);
    });

  program
    .command('import')
    .description('import a CSV of ticket history into PostgreSQL (DATABASE_URL), idempotently')
    .argument('<file>', 'CSV file of cases')
    .requiredOption('-m, --mapping <file>', 'mapping JSON (see mappings/)')
    .option('--tenant <id-or-name>', 'organization to import into (id, or exact name); required when there are several')
    .option('--strict', 'reject the whole file when any row is invalid (one transaction)')
    .addOption(new Option('--progress', 'show a progress bar on stderr (default: when stderr is a terminal)'))
    .option('--json', 'print the result as one JSON object on the last line')
    .action(async (file: string, opts) => {
      await runImport(file, opts);
    });

  program
    .command('tenant')
    .description('manage organizations (DATABASE_URL)')
    .command('create')
    .description('create an organization and its first admin; prints a one-time link for the admin to choose a password')
    .requiredOption('--name <name>', 'the organization\'s name')
    .requiredOption('--admin-email <email>', 'e-mail address of its first admin')
    .option('--admin-name <name>', 'the admin\'s display name (default: the e-mail\'s local part)')
    .option('--slug <slug>', 'short unique name (default: from --name)')
    .option('--expires-hours <n>', 'how long the link stays valid', number('--expires-hours', 1, 720), 72)
    .option('--json', 'print the result as one JSON object')
    .action(async (opts) => {
      await runTenantCreate(opts);
    });
  return program;
}

export async function main(argv = process.argv): Promise<number> {
  try {
    await buildProgram().parseAsync(argv);
    return 0;
  } catch (e) {
    if (e instanceof HistoryFileError) {
      process.stderr.write(`error: ${e.message}\n`);
      return 2;
    }
    const err = e as Error & { code?: string; exitCode?: number };
    if (err.code?.startsWith('commander.')) return err.exitCode ?? 1;
    process.stderr.write(`error: ${err.message}\n`);
    return 1;
  }
}

if (require.main === module) {
  void main().then((code) => {
    process.exitCode = code;
  });
}
