'use client';

import { Button, Group, List, Select, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { useSchedulePreview } from '@/hooks/queries/schedules';
import { fieldError } from '@/lib/api/errors';

/** One click to a common schedule; the expression stays editable. */
export const SCHEDULE_PRESETS: { label: string; value: string }[] = [
  { label: 'Hourly', value: '0 * * * *' },
  { label: 'Daily', value: '0 3 * * *' },
  { label: 'Weekly', value: '0 3 * * 0' },
  { label: 'Monthly', value: '0 3 1 * *' },
];

/** A next run as the zone's wall clock reads it, e.g. "Sun, 28 Mar 2027, 03:30 (+02:00)". */
function wallClock(iso: string, timezone: string): string {
  const offset = iso.slice(19);
  try {
    const text = new Intl.DateTimeFormat('en-GB', {
      timeZone: timezone,
      weekday: 'short',
      day: 'numeric',
      month: 'short',
      year: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      second: iso.slice(17, 19) === '00' ? undefined : '2-digit',
      hourCycle: 'h23',
    }).format(new Date(iso));
    return `${text} (${offset === '+00:00' ? 'UTC' : offset})`;
  } catch {
    return iso;
  }
}

/**
 * Schedule editor: cron expression with presets, the time zone it is read in, and what the API
 * makes of both (description and next runs, from GET /schedules/preview) while typing.
 */
export function ScheduleFields({
  schedule,
  timezone,
  zones,
  onChange,
  error,
}: {
  schedule: string;
  timezone: string;
  zones: string[];
  onChange: (next: { schedule?: string; timezone?: string }) => void;
  /** The save's error for a field, if any. */
  error: (field: string) => string | undefined;
}) {
  const [debouncedSchedule] = useDebouncedValue(schedule.trim(), 300);
  const preview = useSchedulePreview(debouncedSchedule, timezone);
  const shown = debouncedSchedule && !preview.error ? preview.data : undefined;
  return (
    <Stack gap="xs" data-testid="schedule-editor">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <TextInput
          label="Schedule"
          name="schedule"
          placeholder="0 3 * * *"
          description="Cron, 5 fields: minute hour day-of-month month day-of-week; empty: on demand only"
          value={schedule}
          onChange={(event) => onChange({ schedule: event.currentTarget.value })}
          error={error('schedule') ?? (preview.error ? fieldError(preview.error, 'schedule') : undefined)}
        />
        <Select
          label="Time zone"
          name="timezone"
          description="The schedule is read on its wall clock (DST included)"
          data={zones}
          searchable
          limit={50}
          value={timezone}
          onChange={(value) => value && onChange({ timezone: value })}
          allowDeselect={false}
          error={error('timezone') ?? (preview.error ? fieldError(preview.error, 'timezone') : undefined)}
        />
      </SimpleGrid>
      <Group gap="xs">
        {SCHEDULE_PRESETS.map((preset) => (
          <Button
            key={preset.label}
            size="compact-xs"
            variant={schedule.trim() === preset.value ? 'filled' : 'light'}
            onClick={() => onChange({ schedule: preset.value })}
            data-testid={`schedule-preset-${preset.label.toLowerCase()}`}
          >
            {preset.label}
          </Button>
        ))}
        {schedule ? (
          <Button size="compact-xs" variant="subtle" color="gray" onClick={() => onChange({ schedule: '' })}>
            On demand only
          </Button>
        ) : null}
      </Group>
      {!schedule.trim() ? (
        <Text size="sm" c="dimmed" data-testid="schedule-description">
          No schedule: backups run only when started.
        </Text>
      ) : shown ? (
        <Stack gap={4}>
          <Text size="sm" fw={500} data-testid="schedule-description">
            {shown.schedule_description}
          </Text>
          <Text size="xs" c="dimmed">
            Next runs
          </Text>
          <List size="sm" data-testid="schedule-next-runs">
            {shown.next_runs.map((run) => (
              <List.Item key={run} title={run} data-run={run}>
                {wallClock(run, timezone)}
              </List.Item>
            ))}
          </List>
        </Stack>
      ) : null}
    </Stack>
  );
}
