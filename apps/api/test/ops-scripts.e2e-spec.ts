import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { parse } from 'yaml';
import { pendingMigrations } from '../src/common/database/data-source';
import { ROOT, spawnBuilt } from './support/process';
import { sql } from './support/sql';

function adminUrl(): string {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('DATABASE_URL is not set');
  return url;
}

const withDb = (url: string, name: string) => {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
};

async function admin(text: string): Promise<void> {
  const c = new Client({ connectionString: adminUrl() });
  await c.connect();
  try {
    await c.query(text);
  } finally {
    await c.end();
  }
}

/**
 * `npm run migrate` as a separate step (safe twice, safe from two processes at once: an advisory lock)
 * and the container's entrypoint roles, run directly on this machine (no container engine here).
 */
describe('operations scripts', () => {
  jest.setTimeout(180_000);
  const name = `kept_m_${randomBytes(6).toString('hex')}`;
  const url = withDb(adminUrl(), name);
  const env = { DATABASE_URL: url, NODE_ENV: 'test' };

  beforeAll(() => admin(`CREATE DATABASE "${name}"`));
  afterAll(() => admin(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));

  it('two `npm run migrate` at once on a fresh database both succeed and migrate it once; a third finds nothing to do', async () => {
    const first = spawnBuilt('scripts/migrate.mjs', env);
    const second = spawnBuilt('scripts/migrate.mjs', env);
    expect([await first.exited, await second.exited]).toEqual([0, 0]);
    const outputs = [first.output(), second.output()];
    // One run applied everything; the other waited for the lock and found the schema current.
    expect(outputs.filter((o) => o.startsWith('applied: '))).toHaveLength(1);
    expect(outputs.filter((o) => o === 'schema is up to date\n')).toHaveLength(1);

    const applied = await sql<{ name: string; n: number }>(url, 'SELECT name, count(*)::int AS n FROM migrations GROUP BY name');
    expect(applied).toHaveLength(pendingMigrations([]).length);
    expect(pendingMigrations(applied.map((m) => m.name))).toEqual([]);
    expect(applied.every((m) => m.n === 1)).toBe(true);

    const third = spawnBuilt('docker/entrypoint.sh', env, ['migrate']);
    expect(await third.exited).toBe(0);
    expect(third.output()).toBe('schema is up to date\n');
  });

  it('the entrypoint runs the API (answering /health/live and /health/ready) and the worker, each stopping on SIGTERM with exit 0', async () => {
    const common = {
      ...env,
      APP_DATABASE_PASSWORD: 'kept_app',
      JWT_SECRET: 'test-secret-that-is-at-least-32-characters-long',
      LOG_LEVEL: 'warn',
      WORKER: 'off',
    };
    const api = spawnBuilt('docker/entrypoint.sh', { ...common, PORT: '0' }, ['api']);
    const worker = spawnBuilt('docker/entrypoint.sh', common, ['worker']);
    try {
      const [, port] = await api.waitFor(/Kept API listening on port (\d+)/);
      const live = await fetch(`http://127.0.0.1:${port}/api/v1/health/live`);
      expect(live.status).toBe(200);
      const ready = await fetch(`http://127.0.0.1:${port}/api/v1/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { migrations: { status: 'up' } } });
      await worker.waitFor(/Kept worker pool-\S+ running/);

      // exec'd: the signal reaches Node itself, which shuts down gracefully.
      api.child.kill('SIGTERM');
      worker.child.kill('SIGTERM');
      expect(await api.exited).toBe(0);
      expect(await worker.exited).toBe(0);
    } finally {
      for (const p of [api, worker]) if (p.child.exitCode === null) p.child.kill('SIGKILL');
    }
  });

  it('compose.yml describes the tested topology: PostgreSQL, a migrate job, two APIs without workers, two workers, nginx, a mail catcher', () => {
    type Service = {
      image?: string;
      command?: string[];
      environment?: Record<string, string>;
      volumes?: string[];
      deploy?: { replicas?: number };
      depends_on?: Record<string, { condition: string }>;
    };
    const compose = parse(readFileSync(path.join(ROOT, 'docker/compose.yml'), 'utf8'), { merge: true }) as { services: Record<string, Service> };
    const s = compose.services;
    expect(Object.keys(s).sort()).toEqual(['api', 'mailpit', 'migrate', 'nginx', 'postgres', 'worker']);
    expect(s.migrate.command).toEqual(['migrate']);
    expect(s.api).toMatchObject({ command: ['api'], deploy: { replicas: 2 }, environment: { WORKER: 'off' } });
    expect(s.worker).toMatchObject({ command: ['worker'], deploy: { replicas: 2 } });
    for (const app of [s.api, s.worker]) {
      expect(app.depends_on).toEqual({ migrate: { condition: 'service_completed_successfully' } });
      expect(app.environment).toMatchObject({ SMTP_URL: 'smtp://mailpit:1025', METRICS_PORT: expect.any(String) });
    }
    expect(s.postgres.image).toMatch(/^postgres:/);
    expect(s.mailpit.image).toMatch(/mailpit/);
    expect(s.nginx.volumes).toEqual(['./nginx.conf:/etc/nginx/nginx.conf:ro']);
    // The balancer's upstream is the compose file's API service (every replica).
    expect(readFileSync(path.join(ROOT, 'docker/nginx.conf'), 'utf8')).toMatch(/^\s*server api:3000 /m);
  });

  it('Debian\'s nginx accepts docker/nginx.conf (SSE unbuffered, /metrics closed)', () => {
    const conf = readFileSync(path.join(ROOT, 'docker/nginx.conf'), 'utf8');
    expect(conf).toMatch(/location \/api\/v1\/events \{[^}]*proxy_buffering off;/);
    expect(conf).toMatch(/location = \/metrics \{\s*(#[^\n]*\s*)*return 404;/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'kept-nginx-'));
    try {
      // `api` resolves only on the compose network: a loopback address stands in for it.
      writeFileSync(path.join(dir, 'nginx.conf'), conf.replace(/server api:3000 /, 'server 127.0.0.1:1 '));
      const r = spawnSync('nginx', ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf')], { encoding: 'utf8' });
      expect(`${r.status} ${r.stderr}`).toMatch(/^0 .*test is successful/s);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
