import { LocalObjectStore } from './local-object-store';
import type { ObjectStore } from './object-store';
import { S3ObjectStore, type S3StoreSettings } from './s3-object-store';

/** What opens a store: plain data, so it can cross into the backup worker thread. */
export type StoreSpec = { kind: 'local'; root: string } | { kind: 's3'; settings: S3StoreSettings };

export function openStore(spec: StoreSpec): ObjectStore {
  return spec.kind === 'local' ? new LocalObjectStore(spec.root) : new S3ObjectStore(spec.settings);
}
