export declare const NGINX: string;
export interface NginxOptions {
  port: number;
  /** `host:port` of each API process. */
  upstreams: string[];
  /** Test-only routing by `X-Kept-Upstream: a|b|…` and an `X-Upstream` answer header. */
  pins?: boolean;
}
export declare function nginxConfig(source: string, options: NginxOptions & { dir: string }): string;
export declare function prepareNginx(dir: string, options: NginxOptions): { command: string; args: string[] };
