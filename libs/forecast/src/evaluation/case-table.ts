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
    const seen = new Set<string>();
    for (const l of levels) {
      if (seen.has(l)) throw new Error(`segment level "${l}" is named twice`);
      seen.add(l);
    }
    this.codes = levels.map(() => new Int32Array(1024));
    this.dicts = levels.map(() => []);
    this.dictIndex = levels.map(() => new Map());
  }

  /** Position of a level by name; throws a clear error for a name the table does not have. */
  levelIndex(name: string): number {
    const i = this.levels.indexOf(name);
    if (i < 0) throw new Error(`unknown segment level "${name}": the cases have ${this.levels.map((l) => `"${l}"`).join(', ') || 'no levels'}`);
    return i;
  }

  /** Distinct values of a level (the empty value counts as one). */
  distinct(name: string): number {
    return this.dicts[this.levelIndex(name)].length;
  }

  /**
   * The same cases seen through other levels, in this order (the rows' arrays are shared, not copied):
   * what the replay runs on once the levels are chosen.
   */
  withLevels(names: readonly string[]): CaseTable {
    const idx = names.map((n) => this.levelIndex(n));
    const t = new CaseTable([...names]);
    this.shareRows(t);
    t.codes = idx.map((i) => this.codes[i]);
    idx.forEach((i, j) => {
      t.dicts[j].push(...this.dicts[i]);
      this.dicts[i].forEach((v, c) => t.dictIndex[j].set(v, c));
    });
    return t;
  }

  /**
   * A copy of some rows (`rows`, indices into this table) with their own score flags, every level kept.
   * Used by the level selection to replay the history part alone.
   */
  subset(rows: Int32Array, score: (row: number) => boolean): CaseTable {
    const t = new CaseTable(this.levels.slice());
    const m = rows.length;
    const pick = <T extends Float64Array | Int8Array | Uint8Array | Int32Array>(a: T): T => {
      const b = new (a.constructor as new (n: number) => T)(Math.max(1, m));
      for (let r = 0; r < m; r++) b[r] = a[rows[r]];
      return b;
    };
    t.n = m;
    t.created = pick(this.created);
    t.done = pick(this.done);
    t.orgDue = pick(this.orgDue);
    t.orgFlag = pick(this.orgFlag);
    t.cancelled = pick(this.cancelled);
    t.score = new Uint8Array(Math.max(1, m));
    for (let r = 0; r < m; r++) t.score[r] = score(rows[r]) ? 1 : 0;
    t.codes = this.codes.map(pick);
    this.levels.forEach((_, j) => {
      t.dicts[j].push(...this.dicts[j]);
      this.dicts[j].forEach((v, c) => t.dictIndex[j].set(v, c));
    });
    return t;
  }

  private shareRows(t: CaseTable): void {
    t.n = this.n;
    t.created = this.created;
    t.done = this.done;
    t.orgDue = this.orgDue;
    t.orgFlag = this.orgFlag;
    t.cancelled = this.cancelled;
    t.score = this.score;
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
