'use client';

import { Button, Group, Indicator, Popover, Stack, Text } from '@mantine/core';
import { IconMailOpened } from '@tabler/icons-react';
import { useState } from 'react';
import { RoleBadge } from '@/components/Common/RoleBadge';
import { useAcceptInvitation, useDeclineInvitation, useMyInvitations } from '@/hooks/queries/invitations';
import { errorMessage } from '@/lib/api/errors';
import { useSession } from '@/lib/auth/SessionProvider';
import { formatDate } from '@/lib/format';

/**
 * Invitations to other tenants, next to the tenant switcher; shown only while there are some.
 * Nobody joins a tenant without accepting here. Accepting opens the tenant right away.
 */
export function InvitationsMenu() {
  const invitations = useMyInvitations().data ?? [];
  const accept = useAcceptInvitation();
  const decline = useDeclineInvitation();
  const { switchTenant } = useSession();
  const [opened, setOpened] = useState(false);
  const [error, setError] = useState<string>();
  if (invitations.length === 0 && !opened) return null;

  async function onAccept(id: string) {
    setError(undefined);
    try {
      const tenant = await accept.mutateAsync({ path: { id } });
      setOpened(false);
      await switchTenant(tenant.id);
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  async function onDecline(id: string) {
    setError(undefined);
    await decline.mutateAsync({ path: { id } }).catch((failure: unknown) => setError(errorMessage(failure)));
  }

  return (
    <Popover opened={opened} onChange={setOpened} position="bottom-end" width={340} withinPortal shadow="md">
      <Popover.Target>
        <Indicator label={invitations.length} size={16} disabled={invitations.length === 0}>
          <Button
            variant="light"
            size="xs"
            leftSection={<IconMailOpened size={16} stroke={1.6} />}
            onClick={() => setOpened((o) => !o)}
            data-testid="invitations-button"
          >
            Invitations
          </Button>
        </Indicator>
      </Popover.Target>
      <Popover.Dropdown data-testid="invitations-list">
        <Stack gap="sm">
          {invitations.length === 0 ? (
            <Text size="sm" c="dimmed">
              No pending invitations.
            </Text>
          ) : null}
          {invitations.map((invitation) => (
            <Stack key={invitation.id} gap={6} data-testid="invitation">
              <Group justify="space-between" wrap="nowrap">
                <Text size="sm" fw={600}>
                  {invitation.tenant.name}
                </Text>
                <RoleBadge role={invitation.role} />
              </Group>
              <Text size="xs" c="dimmed">
                {invitation.invited_by
                  ? `From ${invitation.invited_by.display_name || invitation.invited_by.username}, `
                  : ''}
                until {formatDate(invitation.expires_at)}
              </Text>
              <Group gap="xs" justify="flex-end">
                <Button
                  size="xs"
                  variant="default"
                  aria-label={`Decline the invitation to ${invitation.tenant.name}`}
                  loading={decline.isPending && decline.variables?.path.id === invitation.id}
                  onClick={() => void onDecline(invitation.id)}
                >
                  Decline
                </Button>
                <Button
                  size="xs"
                  aria-label={`Accept the invitation to ${invitation.tenant.name}`}
                  loading={accept.isPending && accept.variables?.path.id === invitation.id}
                  onClick={() => void onAccept(invitation.id)}
                >
                  Accept
                </Button>
              </Group>
            </Stack>
          ))}
          {error ? (
            <Text size="xs" c="red">
              {error}
            </Text>
          ) : null}
        </Stack>
      </Popover.Dropdown>
    </Popover>
  );
}
