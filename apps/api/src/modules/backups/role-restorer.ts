import { Injectable, Logger } from '@nestjs/common';
import type { PgConnection } from '../../engine/pg-connection';
import { createMissingRoles, fetchRoles, parseRolesScript } from '../../engine/roles';
import type { Restore } from '../../generated/prisma/client';
import { ObjectStoreFactory } from '../storage/object-store-factory';
import { BackupsRepository, type BackupWithSources } from './backups.repository';
import { TenantKeys } from './tenant-keys';

/**
 * `create_roles` (issue 11, finding 6): before pg_restore, the roles of the backup's roles object
 * that the target server lacks are created, so the dump's owners and GRANTs find them. Roles that
 * exist are never changed. The names created are recorded on the restore (`roles_created`).
 */
@Injectable()
export class RoleRestorer {
  private readonly logger = new Logger(RoleRestorer.name);

  constructor(
    private readonly backups: BackupsRepository,
    private readonly stores: ObjectStoreFactory,
    private readonly tenantKeys: TenantKeys,
  ) {}

  /**
   * Does nothing unless the restore asked for it. `target` is the restore's target database; roles
   * belong to its server, so with `create` (the database does not exist yet) they are created from
   * its maintenance database. Rejects, before anything is created, when the backup has no roles or
   * its roles object does not match its checksums; rejects, having created nothing, when a role
   * cannot be created (e.g. the user lacks CREATEROLE).
   */
  async createMissingRoles(restore: Restore, backup: BackupWithSources, target: PgConnection): Promise<string[]> {
    if (!restore.createRoles) return [];
    if (!backup.rolesKey || !backup.rolesSha256 || !backup.rolesObjectSha256) {
      throw new Error('This backup has no roles object (its warnings say why): cannot create the missing roles');
    }
    const script = await fetchRoles({
      store: this.stores.open(backup.storage),
      key: backup.rolesKey,
      sha256: backup.rolesSha256,
      objectSha256: backup.rolesObjectSha256,
      identity: backup.encrypted ? await this.tenantKeys.identity(backup.tenantId) : null,
    });
    const roles = parseRolesScript(script);
    const created = restore.create
      ? await createMissingRoles({ ...target, dbname: 'postgres' }, roles).catch((error: unknown) => {
          // No `postgres` database, or no CONNECT on it: the other maintenance database.
          const code = (error as { code?: string }).code;
          if (code !== '3D000' && code !== '42501') throw error;
          return createMissingRoles({ ...target, dbname: 'template1' }, roles);
        })
      : await createMissingRoles(target, roles);
    if (created.length) {
      this.logger.log({ restoreId: restore.id, roles: created }, 'created the roles the target lacked');
      await this.backups.updateRestore(restore.id, { rolesCreated: created });
    }
    return created;
  }
}
