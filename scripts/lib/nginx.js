// docker/nginx.conf made to run on this machine (the topology test and bench/topology): Debian's nginx,
// a temporary prefix, a free loopback port, the API processes started here as the upstream. CommonJS so
// that both Jest (TypeScript) and the plain-Node benchmark load the same code.
const { chmodSync, mkdirSync, readFileSync, writeFileSync } = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '../..');
const NGINX = process.env.KEPT_NGINX || '/usr/sbin/nginx';
const TEMP_DIRS = ['client-body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'];

/**
 * docker/nginx.conf with only these changes: `daemon off` (a child of the caller), the upstream's
 * `server api:3000 …;` line becomes one line (same options) per address of `upstreams`, `listen 8080` a
 * loopback `port`, pid and temporary files go to `dir`. With `pins`, a request header
 * `X-Kept-Upstream: a|b|…` sends a request to that one upstream, and every answer names the upstream
 * that gave it (`X-Upstream`): for tests, never in the shipped file.
 */
function nginxConfig(source, { dir, port, upstreams, pins = false }) {
  const must = (pattern, what) => {
    if (!pattern.test(source)) throw new Error(`docker/nginx.conf no longer has ${what}: update scripts/lib/nginx.js`);
  };
  const serverLine = /^(\s*)server api:3000 ([^;]*);$/m;
  must(serverLine, 'the upstream line `server api:3000 …;`');
  must(/^\s*listen 8080;$/m, '`listen 8080;`');
  must(/proxy_pass http:\/\/kept_api;/, '`proxy_pass http://kept_api;`');
  let conf = `daemon off;\n${source}`
    .replace(/^pid .*;$/m, `pid ${dir}/nginx.pid;`)
    .replace(/(_temp_path) \/tmp\/nginx-([a-z-]+);/g, (_, key, name) => `${key} ${dir}/${name};`)
    .replace(serverLine, (_, indent, options) => upstreams.map((a) => `${indent}server ${a} ${options};`).join('\n'))
    .replace(/^(\s*)listen 8080;$/m, (_, indent) => `${indent}listen 127.0.0.1:${port};`);
  if (pins) {
    const letter = (i) => String.fromCharCode(97 + i);
    const groups = upstreams.map((a, i) => `  upstream kept_pin_${letter(i)} { server ${a}; }`).join('\n');
    const map = upstreams.map((_, i) => `    ${letter(i)} kept_pin_${letter(i)};`).join('\n');
    conf = conf
      .replace(/^(\s*)listen (.*);$/m, (_, indent, where) => `${indent}listen ${where};\n${indent}add_header X-Upstream $upstream_addr always;`)
      .replace(/proxy_pass http:\/\/kept_api;/g, 'proxy_pass http://$kept_upstream;')
      .replace(/^http \{$/m, `http {\n  map $http_x_kept_upstream $kept_upstream {\n    default kept_api;\n${map}\n  }\n${groups}\n`);
  }
  return conf;
}

/**
 * Writes the configuration into `dir` (made writable for nginx's workers, which run as `nobody` when
 * started by root) and returns the command that runs it in the foreground.
 */
function prepareNginx(dir, options) {
  chmodSync(dir, 0o777);
  for (const sub of TEMP_DIRS) mkdirSync(path.join(dir, sub), { recursive: true, mode: 0o777 });
  const conf = path.join(dir, 'nginx.conf');
  writeFileSync(conf, nginxConfig(readFileSync(path.join(root, 'docker/nginx.conf'), 'utf8'), { ...options, dir }));
  return { command: NGINX, args: ['-p', dir, '-c', conf, '-e', 'stderr'] };
}

module.exports = { NGINX, nginxConfig, prepareNginx };
