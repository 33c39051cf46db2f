import type { ObjectStore } from '../../engine/storage/object-store';

/**
 * The one way a backup's objects leave storage (DELETE /backups/{id} and retention): the dump,
 * its roles object, then its sidecar, so that a sidecar never outlives what it describes.
 * Deleting a key that is already gone succeeds, so a removal that failed half-way can be retried.
 */
export async function deleteBackupObjects(
  store: ObjectStore,
  backup: { objectKey: string | null; rolesKey: string | null; sidecarKey: string | null },
): Promise<void> {
  for (const key of [backup.objectKey, backup.rolesKey, backup.sidecarKey]) if (key) await store.delete(key);
}
