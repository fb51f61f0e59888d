/**
 * Cases in compact columns (typed arrays), as the evaluation replays them. A million cases take about
 * 40 MB: the CSV text is never held.
 */
export class CaseTable {
  n = 0;
  created = new Float64Array(1024);
  /** When the customer was done (satisfied, else fixed, else closed); NaN while open. */
  done = new Float64Array(1024);
  /** The organization's own promise (instant); NaN when it made none. */
  orgDue = new Float64Array(1024);
  /** The organization's own verdict when the data has one: −1 none, 0 missed, 1 kept. */
  orgFlag = new Int8Array(1024);
  cancelled = new Uint8Array(1024);
  /** 1 = score this case (0 = history the model only learns from). */
  score = new Uint8Array(1024);
  codes: Int32Array[];
  readonly dicts: string[][];
  private readonly dictIndex: Map<string, number>[];

  constructor(readonly levels: string[]) {
    this.codes = levels.map(() => new Int32Array(1024));
    this.dicts = levels.map(() => []);
    this.dictIndex = levels.map(() => new Map());
  }

  private grow(): void {
    const cap = this.created.length * 2;
    const g = <T extends Float64Array | Int8Array | Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(cap);
      b.set(a);
      return b;
    };
    this.created = g(this.created);
    this.done = g(this.done);
    this.orgDue = g(this.orgDue);
    this.orgFlag = g(this.orgFlag);
    this.cancelled = g(this.cancelled);
    this.score = g(this.score);
    this.codes = this.codes.map(g);
  }

  push(c: { createdAt: number; doneAt?: number; orgDueAt?: number; orgKept?: boolean; cancelled?: boolean; score?: boolean; values: readonly (string | undefined)[] }): void {
    if (this.n === this.created.length) this.grow();
    const i = this.n++;
    this.created[i] = c.createdAt;
    this.done[i] = c.doneAt ?? NaN;
    this.orgDue[i] = c.orgDueAt ?? NaN;
    this.orgFlag[i] = c.orgKept === undefined ? -1 : c.orgKept ? 1 : 0;
    this.cancelled[i] = c.cancelled ? 1 : 0;
    this.score[i] = c.score === false ? 0 : 1;
    for (let l = 0; l < this.levels.length; l++) {
      const v = c.values[l] ?? '';
      let code = this.dictIndex[l].get(v);
      if (code === undefined) {
        code = this.dicts[l].length;
        this.dicts[l].push(v);
        this.dictIndex[l].set(v, code);
      }
      this.codes[l][i] = code;
    }
  }
}
