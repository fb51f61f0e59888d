import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './process';

/**
 * docker/nginx.conf (the compose topology's balancer) for a run on this machine: its upstream servers
 * (`api-1:3000`, `api-2:3000`) become the given local addresses and it listens on `listen`.
 */
export function localNginxConf(upstreams: string[], listen: string): string {
  const source = readFileSync(path.join(ROOT, 'docker/nginx.conf'), 'utf8');
  const servers = [...source.matchAll(/^(\s*)server (api-\d+:3000)(.*)$/gm)];
  if (servers.length !== upstreams.length) throw new Error(`docker/nginx.conf has ${servers.length} upstream servers, ${upstreams.length} given`);
  let out = source;
  servers.forEach((m, i) => {
    out = out.replace(m[0], `${m[1]}server ${upstreams[i]}${m[3]}`);
  });
  return out.replace(/^(\s*)listen 8080;$/m, `$1listen ${listen};`);
}
