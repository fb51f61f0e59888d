import { Injectable } from '@nestjs/common';

/**
 * Whether this process is taking traffic. It turns false once, when the process starts shutting down
 * (SIGTERM): the readiness probe then answers 503 so the balancer sends new requests elsewhere while the
 * in-flight ones finish.
 */
@Injectable()
export class Readiness {
  private drainingSince: Date | null = null;

  get draining(): boolean {
    return this.drainingSince !== null;
  }

  startDraining(now = new Date()): void {
    this.drainingSince ??= now;
  }
}
