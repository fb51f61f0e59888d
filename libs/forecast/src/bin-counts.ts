import { NB } from './bins';

/** Distinct bins a segment keeps as a short list before switching to a dense array. */
const SPARSE_LIMIT = 24;

/**
 * Weights per duration bin: a short list while a segment has few distinct durations (most customer
 * segments), a dense array beyond that. A tenant with 200,000 small segments then needs megabytes,
 * not gigabytes.
 */
export class BinCounts {
  private bins: number[] = [];
  private ws: number[] = [];
  private dense: Float64Array | null = null;

  add(b: number, w: number): void {
    if (this.dense) {
      this.dense[b] += w;
      return;
    }
    const i = this.bins.indexOf(b);
    if (i >= 0) this.ws[i] += w;
    else {
      this.bins.push(b);
      this.ws.push(w);
      if (this.bins.length > SPARSE_LIMIT) {
        this.dense = new Float64Array(NB);
        this.bins.forEach((bin, k) => ((this.dense as Float64Array)[bin] += this.ws[k]));
        this.bins = [];
        this.ws = [];
      }
    }
  }

  sub(b: number, w: number): void {
    if (this.dense) {
      this.dense[b] = Math.max(0, this.dense[b] - w);
      return;
    }
    const i = this.bins.indexOf(b);
    if (i >= 0) this.ws[i] = Math.max(0, this.ws[i] - w);
  }

  scale(f: number): void {
    if (this.dense) for (let b = 0; b < NB; b++) this.dense[b] *= f;
    else for (let i = 0; i < this.ws.length; i++) this.ws[i] *= f;
  }

  clear(): void {
    this.dense?.fill(0);
    this.bins = [];
    this.ws = [];
  }

  /** Heap bytes this takes, roughly (a per-process memory budget counts models by it). */
  approximateBytes(): number {
    // The object, two small arrays (capacity grows past the length) or one dense Float64Array.
    return this.dense ? 120 + 8 * NB : 120 + 16 * (this.bins.length + 8);
  }

  /** The weights as a dense array: its own, or `scratch` filled with them. */
  view(scratch: Float64Array): Float64Array {
    if (this.dense) return this.dense;
    scratch.fill(0);
    for (let i = 0; i < this.bins.length; i++) scratch[this.bins[i]] += this.ws[i];
    return scratch;
  }
}
