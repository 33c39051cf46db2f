import { parentPort, workerData } from 'node:worker_threads';
import { BackupStageError, dumpToStore } from './backup-pipeline';
import type { DumpJob, FromDumpWorker, ToDumpWorker } from './dump-in-worker';
import { openStore } from './storage/open-store';

// The backup worker thread's entry: one dumpToStore, reported back to dumpInWorker.
const PROGRESS_EVERY_MS = 250;
const job = workerData as DumpJob;
const port = parentPort!;
const controller = new AbortController();
port.on('message', (message: ToDumpWorker) => {
  if (message.type === 'abort') controller.abort(new Error(message.reason));
});
const send = (message: FromDumpWorker) => port.postMessage(message);

let reportedAt = 0;
dumpToStore({
  ...job,
  store: openStore(job.store),
  signal: controller.signal,
  onProgress: (bytes) => {
    const now = Date.now();
    if (now - reportedAt < PROGRESS_EVERY_MS) return;
    reportedAt = now;
    send({ type: 'progress', bytes });
  },
  onUploadStarted: (uploadId) => send({ type: 'upload', uploadId }),
}).then(
  (result) => send({ type: 'done', result }),
  (error: unknown) =>
    send({
      type: 'failed',
      stage: error instanceof BackupStageError ? error.stage : undefined,
      message: error instanceof BackupStageError ? causeMessage(error) : String((error as Error)?.message ?? error),
    }),
);

function causeMessage(error: BackupStageError): string {
  const cause = error.cause as Error | undefined;
  return cause?.message ?? String(cause);
}
