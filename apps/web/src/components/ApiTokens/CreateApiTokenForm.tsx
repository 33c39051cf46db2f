'use client';

import { Button, Card, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import type { CreatedApiTokenDto } from '@dumpstation/api-client';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useCreateApiToken } from '@/hooks/queries/api-tokens';
import { fieldError, formError } from '@/lib/api/errors';
import { grantableRoles, type Role } from '@/lib/auth/roles';

const EXPIRIES = [
  { value: '30', label: 'In 30 days' },
  { value: '90', label: 'In 90 days' },
  { value: '365', label: 'In a year' },
  { value: 'never', label: 'Never' },
];

function expiresAt(choice: string): string | undefined {
  if (choice === 'never') return undefined;
  return new Date(Date.now() + Number(choice) * 86_400_000).toISOString();
}

export function CreateApiTokenForm({
  ownRole,
  onCreated,
}: {
  ownRole: Role;
  onCreated: (token: CreatedApiTokenDto) => void;
}) {
  const roles = grantableRoles(ownRole);
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>(roles.some((r) => r.value === 'operator') ? 'operator' : roles[0].value);
  const [expiry, setExpiry] = useState('90');
  const create = useCreateApiToken();

  function submit(event: FormEvent) {
    event.preventDefault();
    const expires = expiresAt(expiry);
    create.mutate(
      { body: { name: name.trim(), role, ...(expires ? { expires_at: expires } : {}) } },
      {
        onSuccess: (token) => {
          setName('');
          onCreated(token);
        },
      },
    );
  }

  const problem = formError(create.error, ['name', 'role', 'expires_at']);
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">
            New token
          </Title>
          <FormProblem message={problem} />
          <Group align="flex-start" grow>
            <TextInput
              label="Name"
              name="name"
              placeholder="ci-nightly"
              description="What it is for"
              maxLength={100}
              required
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              error={fieldError(create.error, 'name')}
            />
            <Select
              label="Role"
              description="At most your own"
              data={roles}
              value={role}
              onChange={(value) => value && setRole(value as Role)}
              allowDeselect={false}
              error={fieldError(create.error, 'role')}
            />
            <Select
              label="Expires"
              description="Revoke it any time"
              data={EXPIRIES}
              value={expiry}
              onChange={(value) => value && setExpiry(value)}
              allowDeselect={false}
              error={fieldError(create.error, 'expires_at')}
            />
          </Group>
          <Group justify="flex-end">
            <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
              Create token
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
