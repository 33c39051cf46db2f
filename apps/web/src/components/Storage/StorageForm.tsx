'use client';

import { Alert, Group, PasswordInput, SegmentedControl, Stack, Switch, Text, TextInput } from '@mantine/core';
import type { CreateStorageDto, StorageDto, UpdateStorageDto } from '@dumpstation/api-client';
import { NameField, ResourceForm, useResourceForm } from '@/components/Common/ResourceForm';
import { useCreateStorage, useTestStorage, useTestUnsavedStorage, useUpdateStorage } from '@/hooks/queries/storage';
import { fieldError } from '@/lib/api/errors';
import { ENDPOINT_HINTS, PROVIDER_FIELDS, PROVIDERS, type StorageProvider } from './providers';

const FIELDS = [
  'name',
  'provider',
  'bucket',
  'region',
  'endpoint',
  'path_prefix',
  'force_path_style',
  'access_key',
  'secret_key',
] as const;

interface StorageValues {
  name: string;
  provider: StorageProvider;
  bucket: string;
  region: string;
  endpoint: string;
  pathPrefix: string;
  /** null: the provider's default (on for R2 and MinIO). */
  forcePathStyle: boolean | null;
  /** The access key id (shown by the API); the secret key is write-only: empty keeps the stored one. */
  accessKey: string;
  secretKey: string;
}

function initialValues(storage?: StorageDto): StorageValues {
  return {
    name: storage?.name ?? '',
    provider: storage?.provider ?? 's3',
    bucket: storage?.bucket ?? '',
    region: storage?.region ?? '',
    endpoint: storage?.endpoint ?? '',
    pathPrefix: storage?.path_prefix ?? '',
    forcePathStyle: storage ? storage.force_path_style : null,
    accessKey: storage?.access_key ?? '',
    secretKey: '',
  };
}

/** Only the inputs the chosen provider uses; empty ones are left out (the API names what is missing). */
function createBody(values: StorageValues): CreateStorageDto {
  const shown = PROVIDER_FIELDS[values.provider];
  const body: CreateStorageDto = { name: values.name.trim(), provider: values.provider };
  const pathPrefix = values.pathPrefix.trim();
  if (pathPrefix) body.path_prefix = pathPrefix;
  if (shown.bucket && values.bucket.trim()) body.bucket = values.bucket.trim();
  if (shown.endpoint && values.endpoint.trim()) body.endpoint = values.endpoint.trim();
  if (shown.region && values.region.trim()) body.region = values.region.trim();
  if (shown.pathStyle && values.forcePathStyle !== null) body.force_path_style = values.forcePathStyle;
  if (shown.keys && values.accessKey.trim()) body.access_key = values.accessKey.trim();
  if (shown.keys && values.secretKey) body.secret_key = values.secretKey;
  return body;
}

/** What changed, so stored keys (write-only) stay unless new ones are typed. */
function updateBody(storage: StorageDto, values: StorageValues): UpdateStorageDto {
  const shown = PROVIDER_FIELDS[values.provider];
  const body: UpdateStorageDto = {};
  if (values.name.trim() !== storage.name) body.name = values.name.trim();
  if (values.provider !== storage.provider) body.provider = values.provider;
  if (values.pathPrefix.trim() !== storage.path_prefix) body.path_prefix = values.pathPrefix.trim();
  if (shown.bucket && values.bucket.trim() !== (storage.bucket ?? '')) body.bucket = values.bucket.trim();
  // An emptied endpoint is removed (null), e.g. an S3 storage going back to AWS's own.
  if (shown.endpoint && values.endpoint.trim() !== (storage.endpoint ?? ''))
    body.endpoint = values.endpoint.trim() || null;
  if (shown.region && values.region.trim() !== (storage.region ?? '')) body.region = values.region.trim();
  if (shown.pathStyle && values.forcePathStyle !== null && values.forcePathStyle !== storage.force_path_style)
    body.force_path_style = values.forcePathStyle;
  if (shown.keys && values.accessKey.trim() && values.accessKey.trim() !== (storage.access_key ?? ''))
    body.access_key = values.accessKey.trim();
  if (shown.keys && values.secretKey) body.secret_key = values.secretKey;
  return body;
}

/** Adds a storage destination, or edits `storage`. */
export function StorageForm({
  storage,
  onSaved,
  onCancel,
}: {
  storage?: StorageDto;
  onSaved: (storage: StorageDto) => void;
  onCancel: () => void;
}) {
  const form = useResourceForm({
    item: storage,
    initialValues,
    fields: FIELDS,
    create: useCreateStorage(),
    update: useUpdateStorage(),
    createBody,
    updateBody,
    onSaved,
    test: {
      unsaved: useTestUnsavedStorage(),
      saved: useTestStorage(),
      unsavedBody: createBody,
      changesBody: updateBody,
    },
  });
  const { values, set, error } = form;
  const shown = PROVIDER_FIELDS[values.provider];
  // Keys stay stored on edit unless the provider changes to one without keys.
  const secretStored = Boolean(storage?.secret_key_set);

  return (
    <ResourceForm
      form={form}
      submitLabel={storage ? 'Save storage' : 'Add storage'}
      ready={Boolean(values.name.trim())}
      onCancel={onCancel}
    >
      <NameField form={form} placeholder="backups-eu" />
      <Stack gap={4}>
        <Text size="sm" fw={500} id="storage-provider-label">
          Provider
        </Text>
        <SegmentedControl
          aria-labelledby="storage-provider-label"
          data={PROVIDERS}
          value={values.provider}
          onChange={(value) => set({ provider: value as StorageProvider })}
          fullWidth
        />
        {fieldError(error, 'provider') ? (
          <Text size="xs" c="red">
            {fieldError(error, 'provider')}
          </Text>
        ) : null}
      </Stack>
      {values.provider === 'local' ? (
        <Alert color="blue" variant="light">
          Dumps are kept on the API server’s disk, in this tenant’s folder under its storage root. Suited to a single
          server with its own backups of that disk.
        </Alert>
      ) : null}
      {shown.bucket ? (
        <Group grow align="flex-start">
          <TextInput
            label="Bucket"
            name="bucket"
            placeholder="acme-db-backups"
            required
            value={values.bucket}
            onChange={(event) => set({ bucket: event.currentTarget.value })}
            error={fieldError(error, 'bucket')}
          />
          {shown.region ? (
            <TextInput
              label="Region"
              name="region"
              placeholder="us-east-1"
              description="Default us-east-1"
              value={values.region}
              onChange={(event) => set({ region: event.currentTarget.value })}
              error={fieldError(error, 'region')}
            />
          ) : null}
        </Group>
      ) : null}
      {shown.endpoint ? (
        <TextInput
          label="Endpoint"
          name="endpoint"
          type="url"
          placeholder="https://…"
          description={ENDPOINT_HINTS[values.provider]}
          required={shown.endpoint === 'required'}
          value={values.endpoint}
          onChange={(event) => set({ endpoint: event.currentTarget.value })}
          error={fieldError(error, 'endpoint')}
        />
      ) : null}
      <TextInput
        label="Path prefix"
        name="path_prefix"
        placeholder="prod/"
        description={
          values.provider === 'local' ? 'Sub-folder for the dumps; optional' : 'Key prefix inside the bucket; optional'
        }
        value={values.pathPrefix}
        onChange={(event) => set({ pathPrefix: event.currentTarget.value })}
        error={fieldError(error, 'path_prefix')}
      />
      {shown.keys ? (
        <Group grow align="flex-start">
          <TextInput
            label="Access key ID"
            name="access_key"
            autoComplete="off"
            required
            value={values.accessKey}
            onChange={(event) => set({ accessKey: event.currentTarget.value })}
            error={fieldError(error, 'access_key')}
          />
          <PasswordInput
            label="Secret access key"
            name="secret_key"
            autoComplete="new-password"
            required={!secretStored}
            placeholder={secretStored ? 'Saved (hidden): type to replace' : undefined}
            value={values.secretKey}
            onChange={(event) => set({ secretKey: event.currentTarget.value })}
            error={fieldError(error, 'secret_key')}
          />
        </Group>
      ) : null}
      {shown.keys ? (
        <Text size="xs" c="dimmed">
          Keys are stored encrypted; the secret key is never shown again.
        </Text>
      ) : null}
      {shown.pathStyle ? (
        <Switch
          label="Path-style addressing"
          description="Bucket in the path instead of the host name (default: on for R2, MinIO and a custom S3 endpoint; off for Amazon S3)"
          checked={values.forcePathStyle ?? (values.provider !== 's3' || Boolean(values.endpoint.trim()))}
          onChange={(event) => set({ forcePathStyle: event.currentTarget.checked })}
          error={fieldError(error, 'force_path_style')}
        />
      ) : null}
    </ResourceForm>
  );
}
