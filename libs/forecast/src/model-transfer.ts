import { BinCounts } from './bin-counts';
import { ForecastModel } from './model';
import type { SegmentNode } from './model-types';

/*
 * Moving a built ForecastModel between threads. The API builds a tenant's model in a worker thread and
 * receives it by structured clone, which keeps every field (plain objects, arrays, maps, typed arrays) but
 * not the prototypes; these functions restore them, so the received model answers exactly as the one built.
 */

/** A model received whole by structured clone, made a ForecastModel again in place. */
export function reviveModel(clone: ForecastModel): ForecastModel {
  const m = Object.setPrototypeOf(clone, ForecastModel.prototype) as ForecastModel;
  reviveSegments(m.segmentStore().nodes);
  return m;
}

/**
 * Splits a model for transfer in pieces (a big tenant has tens of thousands of segments, whose clone
 * would block the receiving thread for hundreds of milliseconds at once): the model without its
 * segments, and the segments, to be sent in slices and put back with {@link joinModel}.
 */
export function splitModel(m: ForecastModel): { shell: ForecastModel; segments: unknown[] } {
  const shell = Object.assign(Object.create(ForecastModel.prototype) as ForecastModel, m, { nodes: [], index: new Map() });
  return { shell, segments: m.segmentStore().nodes };
}

/** Restores the prototypes of a slice of segments received by structured clone (see {@link splitModel}). */
export function reviveSegments(segments: unknown[]): void {
  for (const n of segments as SegmentNode[]) {
    Object.setPrototypeOf(n.ev, BinCounts.prototype);
    if (n.cen) Object.setPrototypeOf(n.cen, BinCounts.prototype);
    if (n.open) Object.setPrototypeOf(n.open, BinCounts.prototype);
  }
}

/** Puts a split model back together: its shell (by structured clone) and all its revived segments, in order. */
export function joinModel(shell: ForecastModel, segments: unknown[]): ForecastModel {
  const m = reviveModel(shell);
  const { nodes, index } = m.segmentStore();
  for (const segment of segments as SegmentNode[]) {
    index.set(segment.key, nodes.length);
    nodes.push(segment);
  }
  return m;
}
