import { Injectable } from '@nestjs/common';
import { resolve } from 'node:path';
import { AppConfig } from '../../config/app-config';
import { SecretBox } from '../../crypto/secret-box';
import { ObjectStoreError, type ObjectStore } from '../../engine/storage/object-store';
import { openStore, type StoreSpec } from '../../engine/storage/open-store';
import type { Storage } from '../../generated/prisma/client';

/** Opens the object store a storage row describes, with its keys decrypted in memory only. */
@Injectable()
export class ObjectStoreFactory {
  constructor(
    private readonly config: AppConfig,
    private readonly secrets: SecretBox,
  ) {}

  open(row: Storage): ObjectStore {
    return openStore(this.specOf(row));
  }

  /** What opens the store, as plain data (the backup worker thread opens its own). */
  specOf(row: Storage): StoreSpec {
    if (row.provider === 'local') {
      // The tenant's own folder: no tenant names a server path, and none reaches another's files.
      return { kind: 'local', root: resolve(this.config.env.STORAGE_LOCAL_ROOT, row.tenantId) };
    }
    return {
      kind: 's3',
      settings: {
        provider: row.provider,
        bucket: row.bucket!,
        region: row.region ?? undefined,
        endpoint: row.endpoint ?? undefined,
        forcePathStyle: row.forcePathStyle,
        accessKeyId: this.secrets.decrypt(row.accessKeyIdEncrypted!),
        secretAccessKey: this.secrets.decrypt(row.secretAccessKeyEncrypted!),
      },
    };
  }
}

/** A storage failure in words, without credentials. */
export function describeStoreError(error: unknown): string {
  if (error instanceof ObjectStoreError) return error.message;
  return (error as Error)?.message ?? String(error);
}
