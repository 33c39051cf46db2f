'use client';

import { Group, NumberInput, PasswordInput, Select, SimpleGrid, Stack, TextInput } from '@mantine/core';
import type { ReactNode } from 'react';
import { fieldError } from '@/lib/api/errors';
import { parseConnectionString } from '@/lib/connection-string';
import { SSL_MODES, type SslMode } from './options';

/** Where a PostgreSQL database is and how to sign in to it. */
export interface ConnectionValues {
  host: string;
  port: number | string;
  dbname: string;
  user: string;
  password: string;
  sslmode: SslMode;
}

/**
 * Host, port, database, user, password and sslmode inputs, as the API names them (after
 * `prefix`, e.g. `target_` for a restore's target) for the errors it reports under each.
 */
export function ConnectionFields({
  values,
  onChange,
  error,
  prefix = '',
  dbnamePlaceholder,
  usernameDescription,
  passwordDescription,
  passwordPlaceholder,
  passwordExtra,
}: {
  values: ConnectionValues;
  onChange: (next: Partial<ConnectionValues>) => void;
  error: unknown;
  prefix?: string;
  dbnamePlaceholder?: string;
  usernameDescription?: string;
  passwordDescription: string;
  passwordPlaceholder?: string;
  /** Under the password (e.g. “Remove the saved password”). */
  passwordExtra?: ReactNode;
}) {
  const name = (field: keyof ConnectionValues) => `${prefix}${field}`;
  const problem = (field: keyof ConnectionValues) => fieldError(error, `${prefix}${field}`);
  return (
    <>
      <Group align="flex-start" wrap="nowrap">
        <TextInput
          label="Host"
          name={name('host')}
          placeholder="db.internal.example.com"
          required
          style={{ flex: 1 }}
          description="Or paste a postgresql:// connection string"
          value={values.host}
          onChange={(event) => onChange({ host: event.currentTarget.value })}
          onPaste={(event) => {
            // A whole connection string fills every field it names, instead of landing in Host.
            const parsed = parseConnectionString(event.clipboardData.getData('text'));
            if (!parsed) return;
            event.preventDefault();
            onChange(parsed);
          }}
          error={problem('host')}
        />
        <NumberInput
          // Out of range is refused by the API, which says so; never changed silently to the limit.
          clampBehavior="none"
          label="Port"
          name={name('port')}
          w={120}
          min={1}
          max={65535}
          allowDecimal={false}
          allowNegative={false}
          value={values.port}
          onChange={(value) => onChange({ port: value })}
          error={problem('port')}
        />
      </Group>
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Database name"
          name={name('dbname')}
          placeholder={dbnamePlaceholder}
          required
          value={values.dbname}
          onChange={(event) => onChange({ dbname: event.currentTarget.value })}
          error={problem('dbname')}
        />
        <TextInput
          label="Username"
          name={name('user')}
          placeholder="backup"
          description={usernameDescription}
          required
          autoComplete="off"
          value={values.user}
          onChange={(event) => onChange({ user: event.currentTarget.value })}
          error={problem('user')}
        />
        <Stack gap={6}>
          <PasswordInput
            label="Password"
            name={name('password')}
            autoComplete="new-password"
            placeholder={passwordPlaceholder}
            description={passwordDescription}
            value={values.password}
            onChange={(event) => onChange({ password: event.currentTarget.value })}
            error={problem('password')}
          />
          {passwordExtra}
        </Stack>
        <Select
          label="SSL mode"
          name={name('sslmode')}
          data={SSL_MODES.map((mode) => ({ value: mode.value, label: mode.label }))}
          description={SSL_MODES.find((mode) => mode.value === values.sslmode)?.description}
          value={values.sslmode}
          onChange={(value) => value && onChange({ sslmode: value as SslMode })}
          allowDeselect={false}
          error={problem('sslmode')}
        />
      </SimpleGrid>
    </>
  );
}
