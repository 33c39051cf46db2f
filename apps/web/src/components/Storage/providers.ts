import type { StorageDto } from '@dumpstation/api-client';

export type StorageProvider = StorageDto['provider'];

export const PROVIDER_LABELS: Record<StorageProvider, string> = {
  s3: 'Amazon S3',
  r2: 'Cloudflare R2',
  minio: 'MinIO',
  local: 'Local disk',
};

export const PROVIDERS = (['s3', 'r2', 'minio', 'local'] as const).map((value) => ({
  value,
  label: PROVIDER_LABELS[value],
}));

/** Which inputs each provider uses (the API checks which are required, and answers field errors). */
export const PROVIDER_FIELDS: Record<
  StorageProvider,
  { bucket: boolean; endpoint: 'required' | 'optional' | false; region: boolean; keys: boolean; pathStyle: boolean }
> = {
  s3: { bucket: true, endpoint: 'optional', region: true, keys: true, pathStyle: true },
  r2: { bucket: true, endpoint: 'required', region: false, keys: true, pathStyle: true },
  minio: { bucket: true, endpoint: 'required', region: true, keys: true, pathStyle: true },
  local: { bucket: false, endpoint: false, region: false, keys: false, pathStyle: false },
};

export const ENDPOINT_HINTS: Record<StorageProvider, string> = {
  s3: 'Only for S3-compatible services; leave empty for AWS',
  r2: 'https://<account id>.r2.cloudflarestorage.com',
  minio: 'The MinIO server, e.g. http://minio:9000',
  local: '',
};

/** Where a storage keeps dumps, in one line. */
export function storageLocation(storage: StorageDto): string {
  const prefix = storage.path_prefix;
  if (storage.provider === 'local') return prefix ? `Server disk, folder ${prefix}` : 'Server disk';
  return `${storage.bucket ?? '?'}${prefix ? `/${prefix}` : ''}`;
}
