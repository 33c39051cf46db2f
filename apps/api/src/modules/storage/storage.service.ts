import { HttpStatus, Injectable } from '@nestjs/common';
import { randomBytes, randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type { AuthContext, RequestMeta } from '../../common/auth/auth-context';
import type { CheckResultDto } from '../../common/dto/check-result.dto';
import { alreadyTaken, ApiException, notFound, ValidationFailedException } from '../../common/errors/api-exception';
import type { FieldErrorDto } from '../../common/errors/error-response.dto';
import { pageOf, skipTake, type Page, type PageQueryDto } from '../../common/pagination/page';
import { SecretBox } from '../../crypto/secret-box';
import type { Storage } from '../../generated/prisma/client';
import { uniquely } from '../../prisma/prisma-errors';
import { ActivityLogService } from '../activity-logs/activity-log.service';
import type { CreateStorageDto, StorageDto, UpdateStorageDto } from './dto/storage.dto';
import { describeStoreError, ObjectStoreFactory } from './object-store-factory';
import { StorageRepository } from './storage.repository';

function toDto(row: Storage, secrets: SecretBox): StorageDto {
  return {
    id: row.id,
    name: row.name,
    provider: row.provider,
    bucket: row.bucket,
    region: row.region,
    endpoint: row.endpoint,
    path_prefix: row.pathPrefix,
    force_path_style: row.forcePathStyle,
    access_key: row.accessKeyIdEncrypted ? secrets.decrypt(row.accessKeyIdEncrypted) : null,
    secret_key_set: Boolean(row.secretAccessKeyEncrypted),
    created_at: row.createdAt.toISOString(),
    updated_at: row.updatedAt.toISOString(),
  };
}

interface StorageFields {
  provider: Storage['provider'];
  bucket: string | null;
  endpoint: string | null;
  accessKeySet: boolean;
  secretKeySet: boolean;
}

/** What each provider needs, checked on the final state (after a PATCH too). */
function providerErrors(s: StorageFields): FieldErrorDto[] {
  if (s.provider === 'local') {
    return (['bucket', 'endpoint'] as const)
      .filter((field) => s[field])
      .map((field) => ({ field, message: `${field} is not used by local storage: leave it out` }));
  }
  const errors: FieldErrorDto[] = [];
  if (!s.bucket) errors.push({ field: 'bucket', message: `bucket is required for ${s.provider}` });
  if (!s.endpoint && s.provider !== 's3')
    errors.push({ field: 'endpoint', message: `endpoint is required for ${s.provider}` });
  if (!s.accessKeySet) errors.push({ field: 'access_key', message: `access_key is required for ${s.provider}` });
  if (!s.secretKeySet) errors.push({ field: 'secret_key', message: `secret_key is required for ${s.provider}` });
  return errors;
}

/** A create's (or an unsaved test's) settings meet their provider's needs, or a 400 naming the fields. */
function assertNewSettings(input: CreateStorageDto): void {
  const errors = providerErrors({
    provider: input.provider,
    bucket: input.bucket ?? null,
    endpoint: input.endpoint ?? null,
    accessKeySet: Boolean(input.access_key),
    secretKeySet: Boolean(input.secret_key),
  });
  if (errors.length) throw new ValidationFailedException(errors);
}

const nameTaken = () => alreadyTaken('name', 'A storage with this name already exists');

/** Where dumps go: CRUD with encrypted keys, and a write/read/delete probe. */
@Injectable()
export class StorageService {
  constructor(
    private readonly storages: StorageRepository,
    private readonly stores: ObjectStoreFactory,
    private readonly secrets: SecretBox,
    private readonly activity: ActivityLogService,
  ) {}

  async create(auth: AuthContext, input: CreateStorageDto, meta: RequestMeta): Promise<StorageDto> {
    assertNewSettings(input);
    const row = await uniquely(
      () =>
        this.storages.create({
          tenantId: auth.tenantId,
          ...this.fullSettings(input),
          accessKeyIdEncrypted: input.access_key ? this.secrets.encrypt(input.access_key) : null,
          secretAccessKeyEncrypted: input.secret_key ? this.secrets.encrypt(input.secret_key) : null,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'storage.create', row);
    return toDto(row, this.secrets);
  }

  async list(auth: AuthContext, query: PageQueryDto): Promise<Page<StorageDto>> {
    const { skip, take } = skipTake(query);
    const [rows, total] = await this.storages.listForTenant(auth.tenantId, skip, take);
    return pageOf(
      rows.map((row) => toDto(row, this.secrets)),
      total,
      query,
    );
  }

  async get(auth: AuthContext, id: string): Promise<StorageDto> {
    return toDto(await this.require(auth, id), this.secrets);
  }

  async update(auth: AuthContext, id: string, input: UpdateStorageDto, meta: RequestMeta): Promise<StorageDto> {
    const current = await this.require(auth, id);
    const provider = input.provider ?? current.provider;
    const toLocal = provider === 'local' && current.provider !== 'local';
    const errors = providerErrors({
      provider,
      bucket: input.bucket ?? (toLocal ? null : current.bucket),
      // `endpoint: null` removes it (the provider rules then see none); omitted keeps the stored one.
      endpoint: input.endpoint !== undefined ? input.endpoint : toLocal ? null : current.endpoint,
      accessKeySet: Boolean(input.access_key ?? current.accessKeyIdEncrypted),
      secretKeySet: Boolean(input.secret_key ?? current.secretAccessKeyEncrypted),
    });
    if (errors.length) throw new ValidationFailedException(errors);
    const row = await uniquely(
      () =>
        this.storages.update(id, {
          name: input.name?.trim(),
          provider,
          bucket: toLocal ? null : input.bucket,
          endpoint: toLocal ? null : input.endpoint,
          region: input.region,
          pathPrefix: input.path_prefix,
          forcePathStyle: input.force_path_style,
          accessKeyIdEncrypted: toLocal ? null : input.access_key ? this.secrets.encrypt(input.access_key) : undefined,
          secretAccessKeyEncrypted: toLocal
            ? null
            : input.secret_key
              ? this.secrets.encrypt(input.secret_key)
              : undefined,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'storage.update', row);
    return toDto(row, this.secrets);
  }

  /**
   * PUT: the storage becomes exactly `input`, as a create would make it (omitted optional
   * fields take their defaults), except that omitted keys keep the stored ones (local drops them).
   */
  async replace(auth: AuthContext, id: string, input: CreateStorageDto, meta: RequestMeta): Promise<StorageDto> {
    const current = await this.require(auth, id);
    const local = input.provider === 'local';
    const errors = providerErrors({
      provider: input.provider,
      bucket: input.bucket ?? null,
      endpoint: input.endpoint ?? null,
      accessKeySet: !local && Boolean(input.access_key ?? current.accessKeyIdEncrypted),
      secretKeySet: !local && Boolean(input.secret_key ?? current.secretAccessKeyEncrypted),
    });
    if (errors.length) throw new ValidationFailedException(errors);
    const row = await uniquely(
      () =>
        this.storages.update(id, {
          ...this.fullSettings(input),
          accessKeyIdEncrypted: local ? null : input.access_key ? this.secrets.encrypt(input.access_key) : undefined,
          secretAccessKeyEncrypted: local
            ? null
            : input.secret_key
              ? this.secrets.encrypt(input.secret_key)
              : undefined,
        }),
      nameTaken,
    );
    await this.record(auth, meta, 'storage.update', row);
    return toDto(row, this.secrets);
  }

  /** Every non-secret setting of a create or a PUT, with the defaults for what was left out. */
  private fullSettings(input: CreateStorageDto) {
    return {
      name: input.name.trim(),
      provider: input.provider,
      bucket: input.bucket ?? null,
      region: input.region ?? (input.provider === 'r2' ? 'auto' : input.provider === 'local' ? null : 'us-east-1'),
      endpoint: input.endpoint ?? null,
      pathPrefix: input.path_prefix ?? '',
      // A custom endpoint for `s3` is an S3-compatible server, which rarely serves bucket.host names.
      forcePathStyle: input.force_path_style ?? (input.provider !== 's3' || Boolean(input.endpoint)),
    };
  }

  async delete(auth: AuthContext, id: string, meta: RequestMeta): Promise<void> {
    const row = await this.require(auth, id);
    const usage = await this.storages.usage(id);
    if (usage.databases || usage.backups) {
      throw new ApiException(
        HttpStatus.CONFLICT,
        'STORAGE_IN_USE',
        `This storage is used by ${usage.databases} database(s) and holds ${usage.backups} backup(s): move or delete them first`,
      );
    }
    await this.storages.delete(id);
    await this.record(auth, meta, 'storage.delete', row);
  }

  /** Writes, reads back and deletes a small probe object; says in words what failed. */
  /**
   * Probes the storage as saved, or with `changes` on top (the form's unsaved edits: secrets left
   * out keep the stored ones). Nothing is saved.
   */
  async test(
    auth: AuthContext,
    id: string,
    meta: RequestMeta,
    changes: UpdateStorageDto = {},
  ): Promise<CheckResultDto> {
    const stored = await this.require(auth, id);
    const row = Object.keys(changes).length ? this.withChanges(stored, changes) : stored;
    const result = await this.probe(row);
    await this.record(auth, meta, 'storage.test', stored, result.ok);
    return result;
  }

  /** Probes settings not saved yet (a form's Test before Add). Nothing is saved. */
  async testUnsaved(auth: AuthContext, input: CreateStorageDto, meta: RequestMeta): Promise<CheckResultDto> {
    assertNewSettings(input);
    const now = new Date();
    const row: Storage = {
      id: randomUUID(),
      tenantId: auth.tenantId,
      ...this.fullSettings(input),
      accessKeyIdEncrypted: input.access_key ? this.secrets.encrypt(input.access_key) : null,
      secretAccessKeyEncrypted: input.secret_key ? this.secrets.encrypt(input.secret_key) : null,
      createdAt: now,
      updatedAt: now,
    };
    const result = await this.probe(row);
    await this.activity.recordFor(auth, meta, {
      event: 'storage.test',
      outcome: result.ok ? 'success' : 'failure',
      resourceType: 'Storage',
      resourceName: row.name,
      details: { name: row.name, provider: row.provider, unsaved: true },
    });
    return result;
  }

  /** `stored` as the PATCH `changes` would leave it, checked like one; in memory only. */
  private withChanges(stored: Storage, changes: UpdateStorageDto): Storage {
    const provider = changes.provider ?? stored.provider;
    const toLocal = provider === 'local' && stored.provider !== 'local';
    const next: Storage = {
      ...stored,
      name: changes.name?.trim() ?? stored.name,
      provider,
      bucket: toLocal ? null : (changes.bucket ?? stored.bucket),
      endpoint: toLocal ? null : changes.endpoint !== undefined ? changes.endpoint : stored.endpoint,
      region: changes.region ?? stored.region,
      pathPrefix: changes.path_prefix ?? stored.pathPrefix,
      forcePathStyle: changes.force_path_style ?? stored.forcePathStyle,
      accessKeyIdEncrypted: changes.access_key ? this.secrets.encrypt(changes.access_key) : stored.accessKeyIdEncrypted,
      secretAccessKeyEncrypted: changes.secret_key
        ? this.secrets.encrypt(changes.secret_key)
        : stored.secretAccessKeyEncrypted,
    };
    const errors = providerErrors({
      provider,
      bucket: next.bucket,
      endpoint: next.endpoint,
      accessKeySet: Boolean(next.accessKeyIdEncrypted),
      secretKeySet: Boolean(next.secretAccessKeyEncrypted),
    });
    if (errors.length) throw new ValidationFailedException(errors);
    return next;
  }

  /** Writes, reads back and deletes a probe object: the storage works for backups, or why not, in words. */
  private async probe(row: Storage): Promise<CheckResultDto> {
    const store = this.stores.open(row);
    const key = `${row.pathPrefix}.dumpstation-probe-${randomUUID()}`;
    const probe = randomBytes(64);
    let stage = 'write';
    try {
      await store.put(key, Readable.from([probe]), { contentType: 'application/octet-stream' });
      stage = 'read';
      const chunks: Buffer[] = [];
      for await (const chunk of await store.get(key)) chunks.push(chunk as Buffer);
      if (!Buffer.concat(chunks).equals(probe)) throw new Error('the object read back differs from the one written');
      stage = 'delete';
      await store.delete(key);
      return { ok: true, message: 'Wrote, read back and deleted a probe object' };
    } catch (error) {
      return { ok: false, message: `Could not ${stage} a probe object: ${describeStoreError(error)}` };
    }
  }

  private async require(auth: AuthContext, id: string): Promise<Storage> {
    const row = await this.storages.findInTenant(id, auth.tenantId);
    if (!row) throw notFound('Storage');
    return row;
  }

  private record(auth: AuthContext, meta: RequestMeta, event: string, row: Storage, ok = true) {
    return this.activity.recordFor(auth, meta, {
      event,
      outcome: ok ? 'success' : 'failure',
      resourceType: 'Storage',
      resourceId: row.id,
      resourceName: row.name,
      details: { name: row.name, provider: row.provider },
    });
  }
}
