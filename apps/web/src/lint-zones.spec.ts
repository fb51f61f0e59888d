/**
 * @jest-environment node
 */
// The web project compiles against the DOM only (no @types/node, so Node's globals do not leak into
// browser code); this node-environment spec takes the few Node APIs it needs, typed here.
declare const __dirname: string;
const { execFileSync } = jest.requireActual<{
  execFileSync(file: string, args: string[], options: { cwd: string; env: Record<string, string | undefined>; encoding: 'utf8' }): string;
}>('node:child_process');
const { resolve } = jest.requireActual<{ resolve(...paths: string[]): string }>('node:path');
const nodeProcess = jest.requireActual<{ execPath: string; env: Record<string, string | undefined> }>('node:process');

const ROOT = resolve(__dirname, '../../..');

interface Verdict {
  filePath: string;
  code: string;
  /** The messages of no-restricted-imports (the zones), empty when the import is allowed. */
  errors: string[];
}

/**
 * Lints snippets with the workspace's own eslint.config.mjs, as if they were files at the given paths, and
 * returns the zone errors. It runs `new ESLint(...).lintText(code, { filePath })` in a child Node process:
 * ESLint loads the ESM config with import(), which Jest's module sandbox does not allow. Type-aware
 * parsing is off (the files do not exist) and only no-restricted-imports runs.
 */
function lint(snippets: { filePath: string; code: string }[]): Verdict[] {
  const script = `
    import { ESLint } from 'eslint';
    const snippets = JSON.parse(process.env.SNIPPETS);
    const eslint = new ESLint({
      cwd: process.cwd(),
      ruleFilter: ({ ruleId }) => ruleId === 'no-restricted-imports',
      overrideConfig: { languageOptions: { parserOptions: { projectService: false, project: null } } },
    });
    const out = [];
    for (const { filePath, code } of snippets) {
      const [result] = await eslint.lintText(code, { filePath });
      out.push({ filePath, code, errors: result.messages.map((m) => (m.ruleId ?? 'fatal') + ': ' + m.message) });
    }
    process.stdout.write(JSON.stringify(out));
  `;
  const stdout = execFileSync(nodeProcess.execPath, ['--input-type=module', '-e', script], {
    cwd: ROOT,
    env: { ...nodeProcess.env, SNIPPETS: JSON.stringify(snippets) },
    encoding: 'utf8',
  });
  return JSON.parse(stdout) as Verdict[];
}

const use = (from: string) => `import { thing } from '${from}';\nexport const used = thing;\n`;
const at = (file: string) => `apps/web/src/${file}`;

describe('lint zones in apps/web', () => {
  const bad = [
    { filePath: at('features/board/components/board-view.tsx'), code: use('@/features/cases/components/case-page') },
    { filePath: at('features/board/components/board-view.tsx'), code: use('../../cases/api/get-case') },
    { filePath: at('features/cases/status-filters.ts'), code: use('../board/api/get-board') },
    { filePath: at('features/settings/components/settings-view.tsx'), code: use('@/app/router') },
    { filePath: at('components/load-error.tsx'), code: use('@/features/alerts/api/alerts') },
    { filePath: at('lib/format.ts'), code: use('../features/cases/api/get-case') },
    { filePath: at('hooks/use-session.ts'), code: use('@/features/auth/api/login') },
  ];
  const good = [
    { filePath: at('features/board/components/board-view.tsx'), code: use('@/features/board/api/get-board') },
    { filePath: at('features/board/components/board-view.tsx'), code: use('../api/get-board') },
    { filePath: at('features/board/components/board-view.tsx'), code: use('@/components/case-status-badge') },
    { filePath: at('features/board/components/board-view.tsx'), code: use('@/hooks/use-session') },
    { filePath: at('features/board/components/board-view.tsx'), code: use('@kept/domain') },
    { filePath: at('features/cases/status-filters.ts'), code: use('./api/get-cases') },
    { filePath: at('app/routes/case.tsx'), code: use('@/features/alerts/components/case-alerts') },
    { filePath: at('components/load-error.tsx'), code: use('@/lib/api-client') },
  ];
  const verdicts = lint([...bad, ...good]);

  it.each(verdicts.slice(0, bad.length).map((v) => [v.filePath, v.code.split('\n')[0], v] as const))(
    'rejects in %s: %s',
    (_file, _code, verdict) => {
      expect(verdict.errors).toEqual([expect.stringMatching(/^no-restricted-imports: .*(Features do not import each other|app\/ composes|Do not climb out|imports no feature)/)]);
    },
  );

  it.each(verdicts.slice(bad.length).map((v) => [v.filePath, v.code.split('\n')[0], v] as const))('allows in %s: %s', (_file, _code, verdict) => {
    expect(verdict.errors).toEqual([]);
  });
});
