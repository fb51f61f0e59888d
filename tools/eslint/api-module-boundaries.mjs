// A local ESLint rule for the modules inside apps/api (Nx's enforce-module-boundaries works between
// projects, not inside one). Each folder under apps/api/src/modules is a module with a public face,
// its index.ts: from outside the module, only `modules/<name>` (that index) may be imported, never a
// file inside it. common/ and config/ serve every module and import none.
import path from 'node:path';

const SRC = `${path.sep}apps${path.sep}api${path.sep}src${path.sep}`;

/** Where a file lies: { area: 'modules', module } | { area: 'common' | 'config' | 'root' } (null: not in apps/api/src). */
function placeOf(file) {
  const at = file.lastIndexOf(SRC);
  if (at < 0) return null;
  const parts = file.slice(at + SRC.length).split(path.sep);
  if (parts[0] === 'modules' && parts.length > 1) return { area: 'modules', module: parts[1], depth: parts.length - 2 };
  if (parts[0] === 'common' || parts[0] === 'config') return { area: parts[0] };
  return { area: 'root' };
}

const rule = {
  meta: {
    type: 'problem',
    docs: { description: 'apps/api: import another module only through its index.ts; common/ and config/ import no module' },
    schema: [],
    messages: {
      deep: "Import the '{{module}}' module through its public index ('{{index}}'), not its file '{{file}}'.",
      common: "{{area}}/ serves every module and must not import the '{{module}}' module.",
    },
  },
  create(context) {
    const file = context.filename ?? context.getFilename();
    const self = placeOf(file);
    if (!self) return {};
    const check = (node) => {
      const source = node.source?.value;
      if (typeof source !== 'string' || !source.startsWith('.')) return;
      const target = placeOf(path.resolve(path.dirname(file), source));
      if (!target || target.area !== 'modules') return;
      if (self.area === 'common' || self.area === 'config') {
        context.report({ node: node.source, messageId: 'common', data: { area: self.area, module: target.module } });
        return;
      }
      if (self.area === 'modules' && self.module === target.module) return;
      // Outside the module: `modules/<name>` (depth 0, the index) is the only way in.
      const isIndex = target.depth === 0 || (target.depth === 1 && /(^|\/)index(\.ts)?$/.test(source));
      if (!isIndex) {
        const root = file.slice(0, file.lastIndexOf(SRC) + SRC.length);
        const index = path.relative(path.dirname(file), path.join(root, 'modules', target.module)).split(path.sep).join('/');
        context.report({ node: node.source, messageId: 'deep', data: { module: target.module, index: index.startsWith('.') ? index : `./${index}`, file: source } });
      }
    };
    return { ImportDeclaration: check, ExportNamedDeclaration: check, ExportAllDeclaration: check, ImportExpression: check };
  },
};

export default { meta: { name: 'kept-api' }, rules: { 'module-boundaries': rule } };
