import { extname, join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { BackupStageError, type BackupPlan, type BackupResult, type BackupStage } from './backup-pipeline';
import type { StoreSpec } from './storage/open-store';

/** A BackupPlan as plain data: what crosses into the worker thread. */
export interface DumpJob extends Omit<BackupPlan, 'store' | 'signal' | 'onProgress' | 'onUploadStarted'> {
  store: StoreSpec;
}

export type ToDumpWorker = { type: 'abort'; reason: string };
export type FromDumpWorker =
  | { type: 'progress'; bytes: number }
  | { type: 'upload'; uploadId: string }
  | { type: 'done'; result: BackupResult }
  | { type: 'failed'; stage?: BackupStage; message: string };

// Run from TypeScript sources (the tests), the worker compiles them as the test runner does.
const TS_REGISTER = resolve(__dirname, '../../scripts/register-ts.cjs');

function startWorker(job: DumpJob): Worker {
  const entry = join(__dirname, `dump-worker${extname(__filename)}`);
  if (entry.endsWith('.js')) return new Worker(entry, { workerData: job });
  return new Worker(`require(${JSON.stringify(TS_REGISTER)}); require(${JSON.stringify(entry)});`, {
    eval: true,
    workerData: job,
  });
}

/**
 * dumpToStore on a thread of its own. Streaming a dump makes garbage at the rate of the dump;
 * in the API's isolate every major GC then marks the whole application heap, CPU taken from
 * pg_dump. On its own small heap the same bytes cost less, and the API's event loop stays free
 * for requests. Same contract as dumpToStore: the first failing stage, nothing left behind.
 */
export function dumpInWorker(
  job: DumpJob,
  options: {
    signal?: AbortSignal;
    onProgress?: (dumpBytes: number) => void;
    onUploadStarted?: (uploadId: string) => void;
  } = {},
): Promise<BackupResult> {
  const { signal, onProgress, onUploadStarted } = options;
  return new Promise<BackupResult>((resolvePromise, reject) => {
    const worker = startWorker(job);
    let settled = false;
    const abort = () =>
      worker.postMessage({ type: 'abort', reason: String(signal?.reason ?? 'aborted') } satisfies ToDumpWorker);
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      signal?.removeEventListener('abort', abort);
      outcome();
      // Done or failed, the worker has cleaned up (upload aborted, pg_dump stopped): its sockets can go.
      void worker.terminate();
    };
    signal?.addEventListener('abort', abort, { once: true });
    if (signal?.aborted) abort();
    worker.on('message', (message: FromDumpWorker) => {
      if (message.type === 'progress') onProgress?.(message.bytes);
      else if (message.type === 'upload') onUploadStarted?.(message.uploadId);
      else if (message.type === 'done') settle(() => resolvePromise(message.result));
      else {
        const error = message.stage
          ? new BackupStageError(message.stage, new Error(message.message))
          : new Error(message.message);
        settle(() => reject(error));
      }
    });
    worker.on('error', (error) => settle(() => reject(new Error(`the backup worker failed: ${error.message}`))));
    worker.on('exit', (code) => settle(() => reject(new Error(`the backup worker stopped (exit code ${code})`))));
  });
}
