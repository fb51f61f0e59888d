/** Min-heap of (time, payload) pairs in typed arrays. */
export class EventHeap {
  private t = new Float64Array(1024);
  private p = new Int32Array(1024);
  size = 0;

  push(time: number, payload: number): void {
    if (this.size === this.t.length) {
      const t = new Float64Array(this.size * 2);
      t.set(this.t);
      const p = new Int32Array(this.size * 2);
      p.set(this.p);
      this.t = t;
      this.p = p;
    }
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (this.t[parent] <= time) break;
      this.t[i] = this.t[parent];
      this.p[i] = this.p[parent];
      i = parent;
    }
    this.t[i] = time;
    this.p[i] = payload;
  }

  peekTime(): number {
    return this.size > 0 ? this.t[0] : Infinity;
  }

  pop(): number {
    const top = this.p[0];
    const lastT = this.t[--this.size];
    const lastP = this.p[this.size];
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= this.size) break;
      const r = l + 1;
      const c = r < this.size && this.t[r] < this.t[l] ? r : l;
      if (this.t[c] >= lastT) break;
      this.t[i] = this.t[c];
      this.p[i] = this.p[c];
      i = c;
    }
    this.t[i] = lastT;
    this.p[i] = lastP;
    return top;
  }
}
