#!/usr/bin/env node
// Lints snippets as if they were given files, with the workspace's real eslint.config.mjs:
// stdin = JSON [{ filePath, code }], stdout = JSON [[{ ruleId, severity, message, fatal }]] in order.
// Used by apps/api/src/lint-boundaries.spec.ts: ESLint loads its flat config with a dynamic import(),
// which Jest's CommonJS runtime cannot do, so the spec runs ESLint in this plain Node process.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const cases = JSON.parse(readFileSync(0, 'utf8'));
const eslint = new ESLint({ cwd: root });
const out = [];
for (const { filePath, code } of cases) {
  const [result] = await eslint.lintText(code, { filePath: path.resolve(root, filePath) });
  out.push(result.messages.map(({ ruleId, severity, message, fatal }) => ({ ruleId, severity, message, fatal: fatal ?? false })));
}
process.stdout.write(JSON.stringify(out));
