/**
 * The tenants' forecast models kept in memory, least recently used first out, within a budget of bytes
 * (each model's own estimate). A big tenant's model takes tens of MiB; a process serving many tenants
 * must not keep all of them. The model just put in is never dropped, even when it alone exceeds the
 * budget (a tenant always gets its model).
 */
export class ModelCache<M> {
  private readonly entries = new Map<string, { model: M; bytes: number }>();
  private total = 0;

  constructor(private readonly maxBytes: number) {}

  /** The tenant's model, now the most recently used. */
  get(key: string): M | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.model;
  }

  has(key: string): boolean {
    return this.entries.has(key);
  }

  /** Puts (or replaces) a tenant's model; answers the tenants whose models were dropped to make room. */
  set(key: string, model: M, bytes: number): string[] {
    this.delete(key);
    this.entries.set(key, { model, bytes });
    this.total += bytes;
    const dropped: string[] = [];
    for (const [oldest, entry] of this.entries) {
      if (this.total <= this.maxBytes || oldest === key) break;
      this.entries.delete(oldest);
      this.total -= entry.bytes;
      dropped.push(oldest);
    }
    return dropped;
  }

  delete(key: string): void {
    const entry = this.entries.get(key);
    if (!entry) return;
    this.entries.delete(key);
    this.total -= entry.bytes;
  }

  /** Bytes of all models kept. */
  get bytes(): number {
    return this.total;
  }

  get size(): number {
    return this.entries.size;
  }
}
