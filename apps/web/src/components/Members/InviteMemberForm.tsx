'use client';

import { Alert, Button, Card, Group, Select, Stack, TextInput, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useInviteMember } from '@/hooks/queries/members';
import { fieldError, formError } from '@/lib/api/errors';
import { grantableRoles, type Role } from '@/lib/auth/roles';

const EMPTY = { username: '', email: '', displayName: '' };

/**
 * Invites someone to the current tenant. They join when they accept (a new account, created by
 * the invitation, joins at its first sign-in); the answer is the same whoever the names belong to.
 */
export function InviteMemberForm({ ownRole }: { ownRole: Role }) {
  const roles = grantableRoles(ownRole);
  const [values, setValues] = useState(EMPTY);
  const [role, setRole] = useState<Role>('viewer');
  const invite = useInviteMember();

  function submit(event: FormEvent) {
    event.preventDefault();
    const displayName = values.displayName.trim();
    invite.mutate(
      {
        body: {
          username: values.username.trim(),
          email: values.email.trim(),
          role,
          ...(displayName ? { display_name: displayName } : {}),
        },
      },
      { onSuccess: () => setValues(EMPTY) },
    );
  }

  const problem = formError(invite.error, ['username', 'email', 'role', 'display_name']);
  return (
    <Card>
      <form onSubmit={submit} noValidate>
        <Stack>
          <Title order={2} size="h4">
            Invite a member
          </Title>
          <FormProblem message={problem} />
          {invite.isSuccess && !values.username ? (
            <Alert color="teal" variant="light" data-testid="invite-sent">
              Invitation for {invite.data.username} sent. They become a member once they accept it under Invitations (a
              new account accepts at its first sign-in, with a code sent on Discord).
            </Alert>
          ) : null}
          <Group align="flex-start" grow>
            <TextInput
              label="Username"
              name="username"
              placeholder="bob"
              description="Theirs if they have an account; else a new one"
              required
              value={values.username}
              onChange={(event) => setValues({ ...values, username: event.currentTarget.value })}
              error={fieldError(invite.error, 'username')}
            />
            <TextInput
              label="Email"
              name="email"
              type="email"
              placeholder="bob@example.com"
              required
              value={values.email}
              onChange={(event) => setValues({ ...values, email: event.currentTarget.value })}
              error={fieldError(invite.error, 'email')}
            />
          </Group>
          <Group align="flex-start" grow>
            <TextInput
              label="Display name"
              name="display_name"
              placeholder="Bob Stone"
              description="Optional"
              value={values.displayName}
              onChange={(event) => setValues({ ...values, displayName: event.currentTarget.value })}
              error={fieldError(invite.error, 'display_name')}
            />
            <Select
              label="Role"
              description="At most your own"
              data={roles}
              value={role}
              onChange={(value) => value && setRole(value as Role)}
              allowDeselect={false}
              error={fieldError(invite.error, 'role')}
            />
          </Group>
          <Group justify="flex-end">
            <Button type="submit" loading={invite.isPending} disabled={!values.username.trim() || !values.email.trim()}>
              Invite
            </Button>
          </Group>
        </Stack>
      </form>
    </Card>
  );
}
