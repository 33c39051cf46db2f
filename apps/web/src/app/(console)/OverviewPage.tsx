'use client';

import { Stack, Text, Title } from '@mantine/core';
import { Dashboard } from '@/components/Dashboard/Dashboard';
import { FirstRunChecklist } from '@/components/Dashboard/FirstRunChecklist';
import { HealthCard } from '@/components/Health/HealthCard';
import { useHealth } from '@/hooks/queries/health';

export function OverviewPage() {
  const health = useHealth();
  return (
    <Stack gap="lg" maw={1200}>
      <div>
        <Title order={1} size="h2">
          Overview
        </Title>
        <Text c="dimmed">Whether every database is backed up, what runs now, and the last 30 days.</Text>
      </div>
      <FirstRunChecklist />
      <Dashboard />
      <HealthCard state={health} />
    </Stack>
  );
}
