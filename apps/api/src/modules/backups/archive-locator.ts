import { Injectable } from '@nestjs/common';
import type { StoredArchive } from '../../engine/restore-pipeline';
import { ObjectStoreFactory } from '../storage/object-store-factory';
import type { BackupWithSources } from './backups.repository';
import { TenantKeys } from './tenant-keys';

/** The decrypted archive's size: the dump's, else the object's when it is not encrypted (then they are equal). */
function archiveBytes(backup: BackupWithSources): number | null {
  if (backup.dumpSizeBytes !== null) return Number(backup.dumpSizeBytes);
  return !backup.encrypted && backup.sizeBytes !== null ? Number(backup.sizeBytes) : null;
}

/** Where a successful backup's archive is and what it must match: what verify and restore read. */
@Injectable()
export class ArchiveLocator {
  constructor(
    private readonly stores: ObjectStoreFactory,
    private readonly tenantKeys: TenantKeys,
  ) {}

  async locate(backup: BackupWithSources): Promise<StoredArchive> {
    return {
      store: this.stores.open(backup.storage),
      key: backup.objectKey!,
      objectSha256: backup.objectSha256!,
      sha256: backup.sha256!,
      identity: backup.encrypted ? await this.tenantKeys.identity(backup.tenantId) : null,
      // The decrypted archive is what lands in RESTORE_TEMP_DIR: its size is the room needed there.
      bytes: archiveBytes(backup),
    };
  }
}
