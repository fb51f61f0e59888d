import { execFileSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const BOUNDARY_RULES = new Set(['@nx/enforce-module-boundaries', 'kept-api/module-boundaries', 'no-restricted-imports']);

/**
 * Proves the lint config's boundaries: each deliberately bad import below is a lint error under the
 * real eslint.config.mjs (ESLint's lintText on a real file's path, so the file's project and tags
 * apply), and the good ones are not. A boundary that silently stopped working (say, Nx's rule skipped
 * for want of a project graph) fails here. ESLint runs in a child Node process (tools/eslint/lint-text.mjs):
 * it loads its flat config with import(), which Jest's CommonJS runtime cannot.
 */
type Case = { what: string; file: string; code: string };
type Message = { ruleId: string | null; severity: number; message: string; fatal: boolean };

/** Deliberately bad imports: each must be an error of the named rule. */
const BAD: (Case & { rule: string; message: RegExp })[] = [
  {
    what: 'apps/api: a module importing a file inside another module',
    file: 'apps/api/src/modules/cases/case.service.ts',
    code: `import { AlertsRepository } from '../alerts/alerts.repository';\nexport const x = AlertsRepository;\n`,
    rule: 'kept-api/module-boundaries',
    message: /through its public index \('\.\.\/alerts'\)/,
  },
  {
    what: 'apps/api: a module reaching into another module’s subfolder',
    file: 'apps/api/src/modules/status-links/status-links.service.ts',
    code: `import { JobRunner } from '../alerts/worker/job-runner';\nexport const x = JobRunner;\n`,
    rule: 'kept-api/module-boundaries',
    message: /public index/,
  },
  {
    what: 'apps/api: common/ importing a module, even through its index',
    file: 'apps/api/src/common/clock.ts',
    code: `import { AlertPlanner } from '../modules/alerts';\nexport const x = AlertPlanner;\n`,
    rule: 'kept-api/module-boundaries',
    message: /common\/ serves every module/,
  },
  {
    what: 'apps/api: config/ importing a module',
    file: 'apps/api/src/config/config.ts',
    code: `import { CaseModule } from '../modules/cases';\nexport const x = CaseModule;\n`,
    rule: 'kept-api/module-boundaries',
    message: /config\/ serves every module/,
  },
  {
    what: 'libs/domain importing @nestjs/common',
    file: 'libs/domain/src/index.ts',
    code: `import { Injectable } from '@nestjs/common';\nexport const x = Injectable;\n`,
    rule: '@nx/enforce-module-boundaries',
    message: /tagged with "type:domain" is not allowed to import "@nestjs\/common"/,
  },
  {
    what: 'libs/domain importing another library',
    file: 'libs/domain/src/index.ts',
    code: `import { CASE_STATUSES } from '@kept/contracts';\nexport const x = CASE_STATUSES;\n`,
    rule: '@nx/enforce-module-boundaries',
    message: /"type:domain" cannot depend on any libs/,
  },
  {
    what: 'libs/contracts importing an app',
    file: 'libs/contracts/src/index.ts',
    code: `import { createApp } from '../../../apps/api/src/create-app';\nexport const x = createApp;\n`,
    rule: '@nx/enforce-module-boundaries',
    message: /Projects cannot be imported by a relative or absolute path/,
  },
  {
    what: 'libs/contracts importing a library other than domain',
    file: 'libs/contracts/src/index.ts',
    code: `import { fitSurvival } from '@kept/forecast';\nexport const x = fitSurvival;\n`,
    rule: '@nx/enforce-module-boundaries',
    message: /"type:contracts" can only depend on libs tagged with "type:domain"/,
  },
  {
    what: 'an app importing another app',
    file: 'apps/cli/src/main.ts',
    code: `import { createApp } from '../../api/src/create-app';\nexport const x = createApp;\n`,
    rule: '@nx/enforce-module-boundaries',
    message: /Projects cannot be imported by a relative or absolute path/,
  },
];

/** Imports that respect the boundaries: no boundary error. */
const GOOD: Case[] = [
  {
    what: 'apps/api: a module importing another through its index',
    file: 'apps/api/src/modules/cases/case.service.ts',
    code: `import { AlertPlanner } from '../alerts';\nimport { EventPublisher } from '../events/index';\nexport const x = [AlertPlanner, EventPublisher];\n`,
  },
  {
    what: 'apps/api: a module importing its own files and common/',
    file: 'apps/api/src/modules/alerts/worker/job-runner.ts',
    code: `import { AlertPlanner } from '../alert-planner.service';\nimport { Clock } from '../../../common/clock';\nexport const x = [AlertPlanner, Clock];\n`,
  },
  {
    what: 'libs/contracts importing libs/domain',
    file: 'libs/contracts/src/index.ts',
    code: `import { addBusinessTime } from '@kept/domain';\nexport const x = addBusinessTime;\n`,
  },
  {
    what: 'an app importing libraries',
    file: 'apps/api/src/create-app.ts',
    code: `import { addBusinessTime } from '@kept/domain';\nimport type { CaseStatus } from '@kept/contracts';\nexport const x: [typeof addBusinessTime, CaseStatus | null] = [addBusinessTime, null];\n`,
  },
];

function lintAll(cases: Case[]): Message[][] {
  const out = execFileSync(process.execPath, [path.join(root, 'tools/eslint/lint-text.mjs')], {
    cwd: root,
    input: JSON.stringify(cases.map(({ file, code }) => ({ filePath: file, code }))),
    maxBuffer: 16 * 1024 * 1024,
  });
  return JSON.parse(out.toString()) as Message[][];
}

const boundaryErrorsOf = (messages: Message[]) =>
  messages.filter((m) => m.severity === 2 && (m.fatal || BOUNDARY_RULES.has(m.ruleId ?? ''))).map((m) => ({ rule: m.ruleId, message: m.message }));

describe('lint boundaries', () => {
  const results = new Map<string, Message[]>();

  beforeAll(() => {
    // @nx/enforce-module-boundaries reads Nx's cached project graph (and skips itself without one).
    execFileSync('npx', ['nx', 'show', 'projects'], { cwd: root, env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' }, stdio: 'ignore' });
    const all = [...BAD, ...GOOD];
    lintAll(all).forEach((messages, i) => results.set(all[i].what, messages));
  }, 180_000);

  const boundaryErrors = (what: string) => boundaryErrorsOf(results.get(what) ?? [{ ruleId: null, severity: 2, message: 'not linted', fatal: true }]);

  it.each(BAD)('fails: $what', ({ what, rule, message }) => {
    expect(boundaryErrors(what)).toContainEqual({ rule, message: expect.stringMatching(message) });
  });

  it.each(GOOD)('passes: $what', ({ what }) => {
    expect(boundaryErrors(what)).toEqual([]);
  });
});
