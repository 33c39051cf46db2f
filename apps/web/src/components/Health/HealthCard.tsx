'use client';

import { Alert, Badge, Card, Group, SimpleGrid, Skeleton, Stack, Text, Title } from '@mantine/core';
import { IconAlertTriangle, IconPlugConnectedX } from '@tabler/icons-react';
import type { HealthState } from '@/hooks/queries/health';

function formatUptime(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const h = Math.floor((seconds % 86_400) / 3_600);
  const m = Math.floor((seconds % 3_600) / 60);
  if (d > 0) return `${d}d ${h}h`;
  if (h > 0) return `${h}h ${m}m`;
  return m > 0 ? `${m}m ${Math.floor(seconds % 60)}s` : `${Math.floor(seconds)}s`;
}

function Stat({ label, value, testId }: { label: string; value: React.ReactNode; testId: string }) {
  return (
    <Stack gap={4}>
      <Text size="xs" tt="uppercase" fw={600} c="dimmed">
        {label}
      </Text>
      {/* A div: the value may be a Badge (a div), which a <p> cannot hold. */}
      <Text component="div" size="lg" fw={600} data-testid={testId}>
        {value}
      </Text>
    </Stack>
  );
}

export function HealthCard({ state }: { state: HealthState }) {
  if (state.kind === 'loading') {
    return (
      <Card aria-busy="true">
        <Skeleton height={20} width="40%" mb="md" />
        <Skeleton height={48} />
      </Card>
    );
  }
  if (state.kind === 'unreachable') {
    return (
      <Alert
        color="red"
        variant="light"
        icon={<IconPlugConnectedX />}
        title="The API is unreachable"
        data-testid="health-unreachable"
      >
        The console could not get a health report from the API ({state.message}). Check that the API is running and that
        the console&apos;s API_URL points at it.
      </Alert>
    );
  }

  const { health } = state;
  const up = health.database.status === 'up';
  return (
    <Card data-testid="health-card">
      <Group justify="space-between" mb="lg">
        <Title order={2} size="h4">
          Service health
        </Title>
        <Badge
          size="lg"
          variant="light"
          color={state.kind === 'healthy' ? 'teal' : 'orange'}
          data-testid="health-status"
        >
          {state.kind === 'healthy' ? 'All systems operational' : 'Degraded'}
        </Badge>
      </Group>
      <SimpleGrid cols={{ base: 2, sm: 4 }} spacing="lg">
        <Stat
          label="Database"
          testId="health-database"
          value={
            <Badge variant="dot" size="lg" color={up ? 'teal' : 'red'}>
              {health.database.status}
            </Badge>
          }
        />
        <Stat label="Database latency" testId="health-latency" value={`${health.database.latency_ms.toFixed(1)} ms`} />
        <Stat label="API version" testId="health-version" value={health.version} />
        <Stat label="Uptime" testId="health-uptime" value={formatUptime(health.uptime_seconds)} />
      </SimpleGrid>
      {!up && health.database.error ? (
        <Alert
          mt="lg"
          color="orange"
          variant="light"
          icon={<IconAlertTriangle />}
          title="The API cannot reach its database"
        >
          {health.database.error}
        </Alert>
      ) : null}
    </Card>
  );
}
