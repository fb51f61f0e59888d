import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AppConfig } from '../../config/config';
import { parseAllowPrivate, WebhookEgress, WebhookRefused } from './webhook-egress';

const egressWith = (allow?: string) => new WebhookEgress({ webhookAllowPrivate: allow } as AppConfig);

/** A real receiver on loopback: a refused URL must never reach it. */
let server: Server;
let port: number;
const received: IncomingMessage[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    received.push(req);
    req.resume();
    res.statusCode = req.url === '/redirect' ? 302 : 204;
    if (req.url === '/redirect') res.setHeader('Location', `http://127.0.0.1:${port}/followed`);
    res.end();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise((r) => server.close(r)));
beforeEach(() => (received.length = 0));

/** Every spelling of an internal target the issue names (and a few more), as [url, why it is refused]. */
const internal = (p: number): [string, RegExp][] => [
  [`http://127.0.0.1:${p}/`, /loopback/],
  [`http://2130706433:${p}/`, /127\.0\.0\.1 is a loopback/], // decimal
  [`http://0x7f000001:${p}/`, /loopback/], // hex
  [`http://0x7f.1:${p}/`, /loopback/], // hex, short form
  [`http://0177.0.0.1:${p}/`, /loopback/], // octal
  [`http://017700000001:${p}/`, /loopback/], // octal, one number
  [`http://127.1:${p}/`, /loopback/], // short form
  [`http://0:${p}/`, /unspecified/],
  [`http://0.0.0.0:${p}/`, /unspecified/],
  [`http://[::1]:${p}/`, /loopback/],
  [`http://[::]:${p}/`, /unspecified/],
  [`http://[::ffff:127.0.0.1]:${p}/`, /loopback/], // IPv4-mapped IPv6
  [`http://[0:0:0:0:0:ffff:7f00:1]:${p}/`, /loopback/],
  [`http://[::127.0.0.1]:${p}/`, /reserved/], // IPv4-compatible IPv6
  ['http://169.254.169.254/latest/meta-data/', /linkLocal/], // cloud metadata
  ['http://[::ffff:169.254.169.254]/', /linkLocal/],
  ['http://[fd00:ec2::254]/', /uniqueLocal/], // AWS metadata over IPv6
  ['http://[fe80::1]/', /linkLocal/],
  ['http://10.0.0.1/', /private/],
  ['http://172.16.0.1/', /private/],
  ['http://192.168.1.1/', /private/],
  ['http://100.64.0.1/', /carrierGradeNat/],
  ['http://224.0.0.1/', /multicast/],
  ['http://[ff02::1]/', /multicast/],
  ['http://255.255.255.255/', /broadcast/],
  ['http://240.0.0.1/', /reserved/],
  ['http://[64:ff9b::a9fe:a9fe]/', /rfc6052/], // NAT64 of 169.254.169.254
  ['http://[2002:a9fe:a9fe::]/', /6to4/],
  ['http://[2001:db8::1]/', /reserved/],
  ['http://metadata.google.internal/computeMetadata/v1/', /internal host name/],
  ['http://metadata/', /internal host name/],
  [`http://localhost:${p}/`, /internal host name/],
  [`http://LOCALHOST.:${p}/`, /internal host name/],
  ['http://printer.local/', /internal host name/],
  [`http://user:pass@127.0.0.1:${p}/`, /user name or password/],
  ['http://user:pass@hooks.example.com/', /user name or password/],
  ['http://user@hooks.example.com/', /user name or password/],
  ['ftp://hooks.example.com/', /only http and https/],
];

describe('WebhookEgress (SSRF guard)', () => {
  it('refuses every internal spelling at registration (check) and at delivery (post), reaching nothing', async () => {
    const egress = egressWith();
    // Names resolve publicly here, so only the spelling itself can be what is refused.
    egress.resolveAll = async () => [{ address: '93.184.215.14', family: 4 }];
    for (const [url, why] of internal(port)) {
      await expect(egress.check(url)).rejects.toThrow(why);
      const sent = egress.post(url, {}, '{}', 2000);
      await expect(sent).rejects.toBeInstanceOf(WebhookRefused);
      await expect(sent).rejects.toThrow(why);
    }
    expect(received).toHaveLength(0);
  });

  it('refuses a name that resolves to an internal address, if any of its addresses is internal', async () => {
    const egress = egressWith();
    egress.resolveAll = async (host) =>
      host === 'mixed.example.com'
        ? [
            { address: '93.184.215.14', family: 4 },
            { address: '10.1.2.3', family: 4 },
          ]
        : [{ address: '::ffff:169.254.169.254', family: 6 }];
    await expect(egress.check('https://hooks.example.com/x')).rejects.toThrow(/hooks\.example\.com resolves to ::ffff:169\.254\.169\.254, which is a linkLocal address/);
    await expect(egress.check('https://mixed.example.com/x')).rejects.toThrow(/10\.1\.2\.3, which is a private address/);
    egress.resolveAll = async () => {
      throw Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' });
    };
    await expect(egress.check('https://nowhere.example.com/')).rejects.toThrow(/does not resolve/);
  });

  it('accepts public addresses', async () => {
    const egress = egressWith();
    egress.resolveAll = async () => [{ address: '2606:2800:21f:cb07:6820:80da:af6b:8b2c', family: 6 }];
    await expect(egress.check('https://hooks.example.com/kept')).resolves.toBeUndefined();
    await expect(egress.check('https://93.184.215.14/kept')).resolves.toBeUndefined();
    await expect(egress.check('https://[2606:4700:4700::1111]/kept')).resolves.toBeUndefined();
  });

  it('re-resolves at delivery and connects only to the address it checked (no DNS rebinding)', async () => {
    const egress = egressWith();
    // Public when registered …
    egress.resolveAll = async () => [{ address: '93.184.215.14', family: 4 }];
    await egress.check(`http://rebind.example.com:${port}/hook`);
    // … loopback when delivered: refused before any connection.
    egress.resolveAll = async () => [{ address: '127.0.0.1', family: 4 }];
    await expect(egress.post(`http://rebind.example.com:${port}/hook`, {}, '{}', 2000)).rejects.toThrow(
      /rebind\.example\.com resolves to 127\.0\.0\.1, which is a loopback address/,
    );
    expect(received).toHaveLength(0);

    // Allowed explicitly, the name (which no real DNS knows) is connected to at the address the guard returned.
    const allowed = egressWith('127.0.0.1/32');
    allowed.resolveAll = async () => [{ address: '127.0.0.1', family: 4 }];
    const res = await allowed.post(`http://rebind.example.com:${port}/hook`, { 'x-test': '1' }, '{"a":1}', 2000);
    expect(res.status).toBe(204);
    expect(received).toHaveLength(1);
    expect(received[0].headers.host).toBe(`rebind.example.com:${port}`);
  });

  it('does not follow redirects', async () => {
    const egress = egressWith('127.0.0.1/32');
    const res = await egress.post(`http://127.0.0.1:${port}/redirect`, {}, '{}', 2000);
    expect(res.status).toBe(302);
    expect(received.map((r) => r.url)).toEqual(['/redirect']);
  });

  it('lets an operator allow ranges: a CIDR list or true', async () => {
    expect(parseAllowPrivate(undefined)).toEqual([]);
    expect(parseAllowPrivate('true')).toBe('all');
    const some = egressWith('127.0.0.1/32,fd00::/8');
    expect(some.refusedRange('127.0.0.1')).toBeNull();
    expect(some.refusedRange('127.0.0.2')).toBe('loopback');
    expect(some.refusedRange('fd00:ec2::254')).toBeNull();
    expect(some.refusedRange('::ffff:127.0.0.1')).toBeNull();
    expect(some.refusedRange('10.0.0.1')).toBe('private');
    const all = egressWith('true');
    expect(all.refusedRange('169.254.169.254')).toBeNull();
    await expect(all.check(`http://localhost:${port}/`)).resolves.toBeUndefined();
    // Credentials stay refused even when every address is allowed.
    await expect(all.check(`http://a:b@127.0.0.1:${port}/`)).rejects.toThrow(/user name or password/);
  });
});
