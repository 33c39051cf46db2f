'use client';

import { Button, Card, Group, Skeleton, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconArchive, IconDatabase, IconServer2, type Icon } from '@tabler/icons-react';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { useDatabases } from '@/hooks/queries/databases';
import { useStorageChoices } from '@/hooks/queries/storage';
import { useTenantBackups } from '@/hooks/queries/tenant-backups';

export type SetupStep = 'storage' | 'database' | 'backup';

interface StepText {
  title: string;
  text: string;
  action: string;
  icon: Icon;
}

const STEPS: Record<SetupStep, StepText> = {
  storage: {
    title: 'Add a storage first',
    text: 'Backups need somewhere to go: a local folder or an S3-compatible bucket.',
    action: 'Add a storage',
    icon: IconServer2,
  },
  database: {
    title: 'Add a database',
    text: 'Tell DumpStation which PostgreSQL database to back up, and into which storage.',
    action: 'Add a database',
    icon: IconDatabase,
  },
  backup: {
    title: 'Run the first backup',
    text: 'Back the database up now, or give it a schedule.',
    action: 'Run the first backup',
    icon: IconArchive,
  },
};

/** What the tenant lacks first: storage, then a database, then a backup; null when it has all three. */
export function useNextSetupStep(): { step: SetupStep | null; databaseId: string | null; loading: boolean } {
  const storages = useStorageChoices();
  const databases = useDatabases(1);
  const backups = useTenantBackups(1, {}, 1);
  const loading = !storages.data || !databases.data || !backups.data;
  if (loading) return { step: null, databaseId: null, loading };
  const databaseId = databases.data?.items[0]?.id ?? null;
  if (storages.data!.total === 0) return { step: 'storage', databaseId, loading };
  if (databases.data!.total === 0) return { step: 'database', databaseId, loading };
  if (backups.data!.total === 0) return { step: 'backup', databaseId, loading };
  return { step: null, databaseId, loading };
}

/**
 * The next thing to do on a tenant that is not set up yet, with a button to where it is done;
 * nothing once storage, a database and a backup exist. `onAction` replaces the link for a step
 * that the page showing it does itself (e.g. the databases page opens its form).
 */
export function NextStep({
  onAction,
  whenDone = null,
}: {
  onAction?: Partial<Record<SetupStep, () => void>>;
  /** Shown when nothing is left to set up. */
  whenDone?: ReactNode;
}) {
  const { step, databaseId, loading } = useNextSetupStep();
  if (loading) return <Skeleton height={96} />;
  if (!step) return <>{whenDone}</>;
  const { title, text, action, icon: StepIcon } = STEPS[step];
  const href = step === 'storage' ? '/storage' : step === 'database' ? '/databases' : `/databases/${databaseId}`;
  const handler = onAction?.[step];
  return (
    <Card withBorder data-testid="next-step" data-step={step}>
      <Group justify="space-between" wrap="nowrap" align="center">
        <Group wrap="nowrap" align="flex-start">
          <ThemeIcon variant="light" size={40} radius="md">
            <StepIcon size={22} stroke={1.6} />
          </ThemeIcon>
          <Stack gap={2}>
            <Title order={2} size="h4">
              {title}
            </Title>
            <Text size="sm" c="dimmed">
              {text}
            </Text>
          </Stack>
        </Group>
        {handler ? (
          <Button onClick={handler}>{action}</Button>
        ) : (
          <Button component={Link} href={href}>
            {action}
          </Button>
        )}
      </Group>
    </Card>
  );
}
