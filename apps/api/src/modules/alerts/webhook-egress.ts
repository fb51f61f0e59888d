import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { LookupFunction } from 'node:net';
import { Inject, Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { APP_CONFIG, AppConfig } from '../../config/config';

/**
 * Where webhooks may go (SSRF guard). A webhook URL is checked when it is registered or changed, and
 * again at every delivery: the host is resolved and every address it resolves to must be public
 * unicast (ipaddr.js classifies the ranges: private, loopback, link-local, multicast, CGNAT, reserved,
 * unique-local, IPv4-mapped/-translated/6to4/Teredo forms, …). The delivery then connects to the very
 * address that was checked — the check runs inside the socket's `lookup`, so a DNS answer that changes
 * between check and connect (rebinding) cannot slip through. Redirects are never followed.
 *
 * IPv4 literals in any spelling (decimal `2130706433`, hex `0x7f.1`, octal `0177.0.0.1`, short `127.1`)
 * are normalised by the WHATWG URL parser before the check, so they are classified as what they are.
 * An operator may allow ranges explicitly with `WEBHOOK_ALLOW_PRIVATE` (CIDRs, or `true` for all).
 */

export type WebhookRefusalReason = 'scheme' | 'credentials' | 'host-name' | 'address' | 'unresolvable';

export class WebhookRefused extends Error {
  readonly code = 'EWEBHOOKREFUSED';
  constructor(
    readonly reason: WebhookRefusalReason,
    message: string,
  ) {
    super(message);
  }
}

/** Parsed `WEBHOOK_ALLOW_PRIVATE`: CIDR ranges exempt from the guard, or every address. */
export type EgressAllowList = 'all' | ReadonlyArray<[ipaddr.IPv4 | ipaddr.IPv6, number]>;

export function parseAllowPrivate(value: string | undefined): EgressAllowList {
  if (!value || value === 'false') return [];
  if (value === 'true') return 'all';
  return value.split(',').map((cidr) => ipaddr.parseCIDR(cidr.trim()));
}

/**
 * Names that are internal by definition, refused before any resolution: cloud metadata services,
 * `localhost` and the special-use / private-use suffixes (RFC 6761, RFC 6762, ICANN `.internal`).
 */
const INTERNAL_NAME = /(^|\.)(localhost|local|internal|localdomain|home\.arpa|in-addr\.arpa|ip6\.arpa)$|^(metadata|instance-data|metadata\.google\.internal)$/i;

/** Ranges ipaddr.js calls unicast that still must not be reached: IPv4-compatible `::a.b.c.d`, site-local. */
const EXTRA_REFUSED = [ipaddr.parseCIDR('::/96'), ipaddr.parseCIDR('fec0::/10')];

export type ResolveAll = (host: string) => Promise<LookupAddress[]>;

const systemResolve: ResolveAll = (host) =>
  new Promise((resolve, reject) => dnsLookup(host, { all: true, verbatim: true }, (err, addrs) => (err ? reject(err) : resolve(addrs))));

export interface WebhookResponse {
  status: number;
}

@Injectable()
export class WebhookEgress {
  private readonly allow: EgressAllowList;
  /** DNS resolution; replaceable so tests can make a name resolve somewhere else at delivery time. */
  resolveAll: ResolveAll = systemResolve;

  constructor(@Inject(APP_CONFIG) config: AppConfig) {
    this.allow = parseAllowPrivate(config.webhookAllowPrivate);
  }

  /** The range name when `address` must not be reached (e.g. `loopback`), or null when it may. */
  refusedRange(address: string): string | null {
    if (!ipaddr.isValid(address)) return 'invalid';
    let ip = ipaddr.parse(address);
    if (ip.kind() === 'ipv6' && (ip as ipaddr.IPv6).isIPv4MappedAddress()) ip = (ip as ipaddr.IPv6).toIPv4Address();
    if (this.allowed(ip)) return null;
    const range = ip.range();
    if (range !== 'unicast') return range;
    for (const [net, bits] of EXTRA_REFUSED) if (ip.kind() === net.kind() && ip.match(net, bits)) return 'reserved';
    return null;
  }

  /**
   * Checks a URL as registration does: scheme, no credentials, host name, and every address the host
   * resolves to now. Throws {@link WebhookRefused}.
   */
  async check(rawUrl: string): Promise<void> {
    const url = this.parse(rawUrl);
    await this.resolveChecked(bareHost(url));
  }

  /**
   * POSTs to a webhook URL, connecting only to an address that passed the check (the check runs in the
   * socket's lookup, so the connection is pinned to it); never follows a redirect. Rejects with
   * {@link WebhookRefused} when the URL or its addresses are refused; nothing is sent then.
   */
  async post(rawUrl: string, headers: Record<string, string>, body: string, timeoutMs: number): Promise<WebhookResponse> {
    const url = this.parse(rawUrl);
    const host = bareHost(url);
    if (ipaddr.isValid(host)) {
      // A literal address is connected to without a lookup: check it here.
      const range = this.refusedRange(host);
      if (range) throw new WebhookRefused('address', `refused: ${host} is a ${range} address`);
    }
    const lookup: LookupFunction = (hostname, options, callback) => {
      this.resolveChecked(hostname).then(
        (addrs) => {
          // Connect to the first checked address (all of them passed).
          if ((options as { all?: boolean }).all) (callback as (e: null, a: LookupAddress[]) => void)(null, addrs);
          else callback(null, addrs[0].address, addrs[0].family);
        },
        (err: Error) => callback(err as NodeJS.ErrnoException, '', 0),
      );
    };
    const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookResponse>((resolve, reject) => {
      const req = send(
        url,
        {
          method: 'POST',
          headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) },
          lookup,
          signal: AbortSignal.timeout(timeoutMs),
          agent: false,
        },
        (res: IncomingMessage) => {
          res.resume(); // the body is not read; 3xx is an answer like any other, never followed
          resolve({ status: res.statusCode ?? 0 });
        },
      );
      req.on('error', (err) => reject(err.name === 'AbortError' ? Object.assign(new Error(`timed out after ${timeoutMs} ms`), { name: 'TimeoutError' }) : err));
      req.end(body);
    });
  }

  private parse(rawUrl: string): URL {
    let url: URL;
    try {
      url = new URL(rawUrl);
    } catch {
      throw new WebhookRefused('scheme', 'refused: not a URL');
    }
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new WebhookRefused('scheme', 'refused: only http and https URLs');
    if (url.username || url.password) throw new WebhookRefused('credentials', 'refused: the URL must not carry a user name or password');
    const host = bareHost(url);
    if (this.allow !== 'all' && !ipaddr.isValid(host) && INTERNAL_NAME.test(host)) {
      throw new WebhookRefused('host-name', `refused: ${host} is an internal host name`);
    }
    return url;
  }

  private async resolveChecked(host: string): Promise<LookupAddress[]> {
    let addrs: LookupAddress[];
    if (ipaddr.isValid(host)) {
      addrs = [{ address: host, family: ipaddr.parse(host).kind() === 'ipv6' ? 6 : 4 }];
    } else {
      try {
        addrs = await this.resolveAll(host);
      } catch {
        throw new WebhookRefused('unresolvable', `refused: ${host} does not resolve`);
      }
      if (addrs.length === 0) throw new WebhookRefused('unresolvable', `refused: ${host} does not resolve`);
    }
    for (const a of addrs) {
      const range = this.refusedRange(a.address);
      if (range) throw new WebhookRefused('address', `refused: ${host === a.address ? host : `${host} resolves to ${a.address}, which`} is a ${range} address`);
    }
    return addrs;
  }

  private allowed(ip: ipaddr.IPv4 | ipaddr.IPv6): boolean {
    if (this.allow === 'all') return true;
    return this.allow.some(([net, bits]) => net.kind() === ip.kind() && ip.match(net, bits));
  }
}

/** The URL's host without IPv6 brackets or a trailing root dot (`localhost.` is `localhost`). */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '').toLowerCase();
}
