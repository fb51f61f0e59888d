import Dexie, { type EntityTable } from 'dexie';
import type { CaseDetailResponse, ProblemDetails } from '@kept/contracts';
import { ApiError, apiRequest, buildUrl, errorMessage, NetworkError } from '@/lib/api-client';
import { getSession } from '@/lib/session';

/**
 * One tap of the engineer (a milestone, the fix that follows the first passed test, or a photo/PDF), kept in IndexedDB
 * until the API has it. `seq` orders the queue; `key` is its Idempotency-Key, so a tap whose answer was lost
 * on the way is replayed by the API, never recorded twice; `baseVersion` is the case version the engineer saw.
 */
export interface QueuedTap {
  seq?: number;
  key: string;
  caseId: string;
  action: 'milestones' | 'fixed' | 'attachment';
  body: Record<string, unknown>;
  /** A photo or PDF (action `attachment`): the file itself, kept in IndexedDB until sent, after the taps before it. */
  file?: Blob;
  /** The attachment's milestone, note and file name (its query string). */
  query?: Record<string, string>;
  baseVersion: number;
  label: string;
  state: 'waiting' | 'conflict';
  /** Why the API refused it (409/412/422…): shown to the engineer, never silently dropped. */
  problem?: string;
  createdAt: string;
}

/** A case version our own queue moved on from: a tap made on `from` is a tap on `to`, nobody else's change. */
export interface OwnTransition {
  caseId: string;
  from: number;
  to: number;
}

class TapDatabase extends Dexie {
  taps!: EntityTable<QueuedTap, 'seq'>;
  transitions!: EntityTable<OwnTransition, 'caseId'>;
  constructor(name: string) {
    super(name);
    this.version(1).stores({ taps: '++seq, caseId, state', transitions: '[caseId+from], caseId' });
  }
}

export const tapDb = new TapDatabase('kept-engineer-taps');

function newKey(): string {
  return typeof crypto !== 'undefined' && 'randomUUID' in crypto
    ? `tap-${crypto.randomUUID()}`
    : `tap-${Date.now().toString(36)}-${Math.random().toString(36).slice(2)}`;
}

export interface TapInput {
  caseId: string;
  baseVersion: number;
  label: string;
  action: QueuedTap['action'];
  body: Record<string, unknown>;
  file?: Blob;
  query?: Record<string, string>;
}

/** Queues taps (in the given order, in one transaction) with the time they were made; answers their keys. */
export async function enqueueTaps(taps: TapInput[], now = new Date()): Promise<string[]> {
  const keys = taps.map(() => newKey());
  await tapDb.transaction('rw', tapDb.taps, async () => {
    for (const [i, t] of taps.entries()) {
      await tapDb.taps.add({
        key: keys[i],
        caseId: t.caseId,
        action: t.action,
        body: { at: now.toISOString(), ...t.body },
        baseVersion: t.baseVersion,
        label: t.label,
        state: 'waiting',
        createdAt: now.toISOString(),
        ...(t.file ? { file: t.file, query: t.query ?? {} } : {}),
      });
    }
  });
  return keys;
}

/** Sends one queued item: the case after a tap, or null for a file (it does not change the case). */
export type SendTap = (tap: QueuedTap) => Promise<CaseDetailResponse | null>;

/** The file itself is the body (with its type); its Idempotency-Key makes a resend after a lost answer a replay. */
async function sendAttachment(tap: QueuedTap): Promise<null> {
  const session = getSession();
  let res: Response;
  try {
    res = await fetch(buildUrl(`/cases/${tap.caseId}/attachments`, tap.query), {
      method: 'POST',
      headers: {
        'Content-Type': tap.file?.type ?? 'application/octet-stream',
        Accept: 'application/json, application/problem+json',
        'Idempotency-Key': tap.key,
        ...(session ? { Authorization: `Bearer ${session.accessToken}` } : {}),
      },
      body: tap.file,
    });
  } catch (error) {
    throw new NetworkError(error);
  }
  if (!res.ok) {
    const problem = (await res.json().catch(() => null)) as ProblemDetails | null;
    throw new ApiError(res.status, problem, `Upload failed (${res.status}).`);
  }
  return null;
}

export const sendTapToApi: SendTap = (tap) =>
  tap.action === 'attachment'
    ? sendAttachment(tap)
    : apiRequest<CaseDetailResponse>(`/cases/${tap.caseId}/${tap.action}`, {
        method: 'POST',
        body: tap.body,
        headers: { 'If-Match': `W/"${tap.baseVersion}"`, 'Idempotency-Key': tap.key },
      });

export interface FlushResult {
  sent: CaseDetailResponse[];
  /** Photos and PDFs sent. */
  files: number;
  conflicts: number;
  /** True when the flush stopped because the API could not be reached (or failed on its side): try later. */
  interrupted: boolean;
}

/** Follows our own transitions from `version` to the newest version our queue knows the case at. */
async function ownVersion(caseId: string, version: number): Promise<number> {
  let v = version;
  for (let hops = 0; hops < 1000; hops++) {
    const t = await tapDb.transitions.get([caseId, v] as unknown as string);
    if (!t) return v;
    v = t.to;
  }
  return v;
}

let running: Promise<FlushResult> | null = null;
let rerun: Promise<FlushResult> | null = null;

/**
 * Sends the waiting taps one by one in the order they were made. Single-flight within the page and, where
 * the browser has Web Locks, across tabs, so no tap is in flight twice at once. A sent tap is deleted and
 * the version change it caused is remembered: a later tap made on the older version (tapped before the
 * answer came, or offline) is sent on the newer one — only our own taps changed the case meanwhile. A tap
 * made on a version someone else replaced is refused by the API (412) and shown as a conflict. A refused tap (409/412 or any 4xx) becomes a conflict and
 * holds back the later taps of its case; a network error or 5xx stops the flush with everything kept.
 */
export function flushTaps(send: SendTap = sendTapToApi): Promise<FlushResult> {
  // A flush already under way may have read the queue before the newest tap: run once more after it.
  if (running) {
    rerun ??= running.then(() => {
      rerun = null;
      return flushTaps(send);
    });
    return rerun;
  }
  const work = async (): Promise<FlushResult> => {
    const result: FlushResult = { sent: [], files: 0, conflicts: 0, interrupted: false };
    for (;;) {
      const waiting = await tapDb.taps.orderBy('seq').filter((t) => t.state === 'waiting').toArray();
      const conflicted = new Set((await tapDb.taps.where('state').equals('conflict').toArray()).map((t) => t.caseId));
      const next = waiting.find((t) => !conflicted.has(t.caseId));
      if (!next) break;
      // A tap made on a version our own earlier tap replaced (the screen had not caught up) is a tap on the newer one.
      const tap = { ...next, baseVersion: await ownVersion(next.caseId, next.baseVersion) };
      try {
        const detail = await send(tap);
        await tapDb.transaction('rw', tapDb.taps, tapDb.transitions, async () => {
          await tapDb.taps.delete(tap.seq as number);
          if (detail) await tapDb.transitions.put({ caseId: tap.caseId, from: tap.baseVersion, to: detail.version });
        });
        if (detail) result.sent.push(detail);
        else result.files += 1;
      } catch (error) {
        if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 401 && error.status !== 429) {
          await tapDb.taps.update(tap.seq as number, { state: 'conflict', problem: errorMessage(error) });
          result.conflicts += 1;
          continue;
        }
        if (error instanceof NetworkError || error instanceof ApiError) {
          result.interrupted = true;
          break;
        }
        throw error;
      }
    }
    return result;
  };
  const locks = typeof navigator !== 'undefined' ? (navigator as Navigator & { locks?: LockManager }).locks : undefined;
  running = (locks ? (locks.request('kept-tap-queue', work) as unknown as Promise<FlushResult>) : work()).finally(() => {
    running = null;
  });
  return running;
}

/** The engineer chose to send a conflicted tap again on the case as it is now (its later taps follow). */
export async function retryConflict(seq: number, currentVersion: number): Promise<void> {
  const tap = await tapDb.taps.get(seq);
  if (!tap) return;
  await tapDb.transaction('rw', tapDb.taps, tapDb.transitions, async () => {
    // The engineer has seen the case as it is now: his taps after this one go on it too.
    if (tap.baseVersion !== currentVersion) await tapDb.transitions.put({ caseId: tap.caseId, from: tap.baseVersion, to: currentVersion });
    await tapDb.taps.update(seq, { state: 'waiting', problem: undefined });
  });
}

/** The engineer dropped a conflicted tap on purpose. */
export async function discardTap(seq: number): Promise<void> {
  await tapDb.taps.delete(seq);
}
