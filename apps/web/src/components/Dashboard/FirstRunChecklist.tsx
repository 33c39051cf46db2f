'use client';

import { Badge, Button, Card, Group, List, Stack, Text, ThemeIcon, Title } from '@mantine/core';
import { IconCheck, IconCircleDashed } from '@tabler/icons-react';
import Link from 'next/link';
import { useStats, type StatsDto } from '@/hooks/queries/stats';

export type FirstRunStep = 'storage' | 'database' | 'backup' | 'schedule';

interface Step {
  step: FirstRunStep;
  title: string;
  text: string;
  done: boolean;
  /** Where it is done; null while an earlier step it needs is missing. */
  href: string | null;
  action: string;
}

/** The four steps of a first run, each ticked from the tenant's real data (GET /stats). */
export function firstRunSteps(stats: StatsDto): Step[] {
  const hasStorage = stats.storages.length > 0;
  const databases = stats.databases;
  const first = databases[0];
  const backedUp = databases.find((database) => database.last_success_at !== null);
  const scheduled = databases.some((database) => database.next_run_at !== null);
  return [
    {
      step: 'storage',
      title: 'Add a storage',
      text: 'Where the backups go: a local folder or an S3-compatible bucket.',
      done: hasStorage,
      href: '/storage',
      action: 'Add a storage',
    },
    {
      step: 'database',
      title: 'Add a database',
      text: 'The PostgreSQL database to back up, and the storage it goes to.',
      done: databases.length > 0,
      href: hasStorage ? '/databases' : null,
      action: 'Add a database',
    },
    {
      step: 'backup',
      title: 'Run the first backup',
      text: 'Back it up now (Back up now on its page) and see it succeed.',
      done: backedUp !== undefined,
      href: first ? `/databases/${first.id}` : null,
      action: first ? `Back up ${first.name}` : 'Run a backup',
    },
    {
      step: 'schedule',
      title: 'Set a schedule',
      text: 'So that it is backed up without you: edit the database and give it a schedule.',
      done: scheduled,
      href: first ? `/databases/${(backedUp ?? first).id}` : null,
      action: 'Set a schedule',
    },
  ];
}

/**
 * The overview's first-run checklist: add storage → add a database → first backup → set a
 * schedule, each ticked from real data, with a button to do the next; gone once all four are done.
 */
export function FirstRunChecklist() {
  const stats = useStats();
  if (!stats.data) return null;
  const steps = firstRunSteps(stats.data);
  const doneCount = steps.filter((step) => step.done).length;
  if (doneCount === steps.length) return null;
  const next = steps.find((step) => !step.done && step.href !== null);
  return (
    <Card withBorder data-testid="first-run">
      <Stack gap="sm">
        <Group justify="space-between" wrap="wrap">
          <Title order={2} size="h4">
            Get started
          </Title>
          <Badge variant="light" data-testid="first-run-progress">
            {doneCount} of {steps.length} done
          </Badge>
        </Group>
        <List spacing="sm" listStyleType="none" styles={{ itemWrapper: { width: '100%' }, itemLabel: { flex: 1 } }}>
          {steps.map((step) => (
            <List.Item
              key={step.step}
              data-testid="first-run-step"
              data-step={step.step}
              data-done={String(step.done)}
              icon={
                <ThemeIcon variant={step.done ? 'filled' : 'light'} color={step.done ? 'teal' : 'gray'} radius="xl">
                  {step.done ? <IconCheck size={16} aria-hidden /> : <IconCircleDashed size={16} aria-hidden />}
                </ThemeIcon>
              }
            >
              <Group justify="space-between" wrap="wrap" gap="xs">
                <div>
                  <Text fw={500} td={step.done ? 'line-through' : undefined}>
                    {step.title}
                    <Text span size="sm" c="dimmed">
                      {step.done ? ' (done)' : ''}
                    </Text>
                  </Text>
                  {step.done ? null : (
                    <Text size="sm" c="dimmed">
                      {step.text}
                    </Text>
                  )}
                </div>
                {!step.done && step.href ? (
                  <Button component={Link} href={step.href} size="xs" variant={step === next ? 'filled' : 'default'}>
                    {step.action}
                  </Button>
                ) : null}
              </Group>
            </List.Item>
          ))}
        </List>
      </Stack>
    </Card>
  );
}
