import { useState } from 'react';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import type { MilestoneKind } from '@kept/contracts';
import type { StepMilestone } from '@kept/domain';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { errorMessage } from '@/lib/api-client';
import { engineerFieldKeys, fileProblem } from '../api/field';
import { enqueueTaps, flushTaps, type QueuedTap, type TapInput } from '../offline/tap-queue';
import { STEP_LABEL } from './step-labels';

/** What waits in the queue, in words: "2 taps and 1 file". */
export function describeWaiting(items: QueuedTap[]): string {
  const files = items.filter((t) => t.action === 'attachment').length;
  const taps = items.length - files;
  const parts = [taps ? `${taps} ${taps === 1 ? 'tap' : 'taps'}` : null, files ? `${files} ${files === 1 ? 'file' : 'files'}` : null];
  return parts.filter(Boolean).join(' and ');
}

/**
 * A photo (the phone's camera) or a PDF, for the step just done, with a short note. It goes into the same
 * IndexedDB queue as the taps, behind them: offline it waits on the phone and is sent in order when the
 * connection returns, once (its own Idempotency-Key).
 */
export function AddPhoto({ caseId, milestone, baseVersion, taps }: { caseId: string; milestone: MilestoneKind | null; baseVersion: number; taps: QueuedTap[] }) {
  const queryClient = useQueryClient();
  const [file, setFile] = useState<File | null>(null);
  const [note, setNote] = useState('');
  const [sentKey, setSentKey] = useState<string | null>(null);
  // A new key empties the file input after a send.
  const [inputKey, setInputKey] = useState(0);
  const problem = file ? fileProblem(file) : null;
  const queue = useMutation({
    mutationFn: (input: TapInput) => enqueueTaps([input]),
    networkMode: 'always',
    onSuccess: ([key]) => {
      setSentKey(key);
      setFile(null);
      setNote('');
      setInputKey((k) => k + 1);
      void flushTaps().then((r) => {
        if (r.files > 0) void queryClient.invalidateQueries({ queryKey: engineerFieldKeys.attachments(caseId) });
      });
    },
  });
  const queued = sentKey ? taps.find((t) => t.key === sentKey) : undefined;
  return (
    <form
      className="work-card__photo"
      aria-label="Add a photo or PDF"
      onSubmit={(e) => {
        e.preventDefault();
        if (!file || problem) return;
        const query: Record<string, string> = { fileName: file.name.slice(0, 255) };
        if (milestone) query.milestone = milestone;
        if (note.trim()) query.note = note.trim();
        queue.mutate({ caseId, baseVersion, label: `Photo “${file.name}”`, action: 'attachment', body: {}, file, query });
      }}
    >
      <label className="field__label">
        Photo or PDF{milestone ? ` for “${STEP_LABEL[milestone as StepMilestone] ?? milestone}”` : ''}
        <input key={inputKey} type="file" accept="image/jpeg,image/png,image/webp,image/heic,image/heif,application/pdf" capture="environment" onChange={(e) => setFile(e.target.files?.[0] ?? null)} />
      </label>
      {file ? <TextField label="Note" value={note} maxLength={1000} onChange={(e) => setNote(e.target.value)} /> : null}
      {problem ? <p className="time-left--danger">{problem}</p> : null}
      {file && !problem ? (
        <Button type="submit" variant="secondary" busy={queue.isPending}>
          Send the file
        </Button>
      ) : null}
      {sentKey && !file ? (
        <p className="muted" role="status">
          {!queued
            ? 'Sent: dispatch sees it on the case.'
            : queued.state === 'waiting'
              ? 'Kept on this phone: it is sent after your taps as soon as you are online.'
              : 'Not sent — see above.'}
        </p>
      ) : null}
      {queue.isError ? <Alert title="Not kept">{errorMessage(queue.error)}</Alert> : null}
    </form>
  );
}
