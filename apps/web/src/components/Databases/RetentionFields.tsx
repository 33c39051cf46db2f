'use client';

import { Alert, List, NumberInput, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import type { RotationPolicyDto } from '@dumpstation/api-client';
import { useDebouncedValue } from '@mantine/hooks';
import { QueryError } from '@/components/Common/QueryError';
import { useRetentionPreview, type RetentionProposal } from '@/hooks/queries/retention';
import { formatDateTime } from '@/lib/format';

export type RetentionChoice = 'none' | RotationPolicyDto['type'];
export const GFS_PERIODS = ['hourly', 'daily', 'weekly', 'monthly', 'yearly'] as const;
type Period = (typeof GFS_PERIODS)[number];

/** The retention part of the database form. Numbers may be '' while being typed. */
export interface RetentionValues {
  rotation: RetentionChoice;
  rotationValue: number | string;
  periods: Record<Period, number | string>;
  minKeep: number | string;
}

const CHOICES: { value: RetentionChoice; label: string }[] = [
  { value: 'none', label: 'Keep every backup' },
  { value: 'count', label: 'Keep the newest N backups' },
  { value: 'days', label: 'Keep N days of backups' },
  { value: 'gfs', label: 'Grandfather-father-son (last N plus hourly/daily/weekly/monthly/yearly)' },
];

const PERIOD_LABELS: Record<Period, { label: string; description: string }> = {
  hourly: { label: 'Hours', description: 'newest of each hour' },
  daily: { label: 'Days', description: 'newest of each day' },
  weekly: { label: 'Weeks', description: 'newest of each ISO week' },
  monthly: { label: 'Months', description: 'newest of each month' },
  yearly: { label: 'Years', description: 'newest of each year' },
};

const toNumber = (value: number | string) => (value === '' ? 0 : Number(value));

export function retentionValues(policy: RotationPolicyDto | null | undefined): RetentionValues {
  return {
    rotation: policy?.type ?? 'none',
    rotationValue: policy?.value ?? 7,
    periods: {
      hourly: policy?.hourly ?? 0,
      daily: policy?.daily ?? (policy ? 0 : 7),
      weekly: policy?.weekly ?? (policy ? 0 : 4),
      monthly: policy?.monthly ?? (policy ? 0 : 12),
      yearly: policy?.yearly ?? 0,
    },
    minKeep: policy?.min_keep ?? 1,
  };
}

/** The policy as the API takes it: period counts only for gfs, and only those above 0. */
export function retentionPolicy(values: RetentionValues): RotationPolicyDto | null {
  if (values.rotation === 'none') return null;
  const periods =
    values.rotation === 'gfs'
      ? Object.fromEntries(
          GFS_PERIODS.filter((p) => toNumber(values.periods[p]) > 0).map((p) => [p, toNumber(values.periods[p])]),
        )
      : {};
  return {
    type: values.rotation,
    value: toNumber(values.rotationValue),
    ...periods,
    min_keep: toNumber(values.minKeep) || 1,
  };
}

/** Every field of the proposal, so the preview is about exactly what the form says. */
function proposalOf(policy: RotationPolicyDto | null): RetentionProposal | null {
  if (!policy || policy.value < 1) return null;
  return {
    type: policy.type,
    value: policy.value,
    ...Object.fromEntries(GFS_PERIODS.map((p) => [p, policy[p] ?? 0])),
    min_keep: policy.min_keep ?? 1,
  };
}

/** What the next run would remove under the form's policy, with the reasons. */
function RetentionPreview({ databaseId, policy }: { databaseId: string; policy: RotationPolicyDto | null }) {
  const [proposal] = useDebouncedValue(proposalOf(policy), 300);
  const preview = useRetentionPreview(databaseId, proposal);
  if (!policy) {
    return (
      <Text size="sm" c="dimmed" data-testid="retention-preview">
        Nothing is ever removed.
      </Text>
    );
  }
  if (preview.isError) return <QueryError error={preview.error} title="Could not preview retention" />;
  if (!preview.data) return null;
  const removed = preview.data.backups.filter((b) => !b.keep);
  return (
    <Alert
      color={removed.length ? 'orange' : 'green'}
      variant="light"
      data-testid="retention-preview"
      data-removed={removed.length}
      title={
        removed.length > 1
          ? `These ${removed.length} backups would be removed`
          : removed.length === 1
            ? 'This backup would be removed'
            : 'No backup would be removed'
      }
    >
      <Stack gap={4}>
        {removed.length ? (
          <List size="sm" spacing={2}>
            {removed.map((b) => (
              <List.Item key={b.id} data-testid={`retention-remove-${b.name}`}>
                {b.name} ({formatDateTime(b.created_at)}): {b.reason}
              </List.Item>
            ))}
          </List>
        ) : null}
        <Text size="xs" c="dimmed">
          {preview.data.kept} kept. Applied after each successful backup and periodically; the newest success and the
          newest {policy.min_keep ?? 1} successful backup{(policy.min_keep ?? 1) === 1 ? '' : 's'} always stay, failed
          ones are never removed.
        </Text>
      </Stack>
    </Alert>
  );
}

/** Retention settings, with a live preview of what they remove when the database exists. */
export function RetentionFields({
  values,
  onChange,
  error,
  databaseId,
}: {
  values: RetentionValues;
  onChange: (next: Partial<RetentionValues>) => void;
  error: (field: string) => string | undefined;
  databaseId?: string;
}) {
  const numberProps = { allowDecimal: false, allowNegative: false, max: 10000 } as const;
  return (
    <Stack gap="xs" data-testid="retention-fields">
      <SimpleGrid cols={{ base: 1, sm: 2 }}>
        <Select
          label="Retention"
          name="rotation"
          data={CHOICES}
          value={values.rotation}
          onChange={(value) => value && onChange({ rotation: value as RetentionChoice })}
          allowDeselect={false}
          error={error('rotation_policy') ?? error('rotation_policy.type')}
        />
        {values.rotation !== 'none' ? (
          <NumberInput
            clampBehavior="none"
            label={
              values.rotation === 'count'
                ? 'Backups to keep'
                : values.rotation === 'days'
                  ? 'Days to keep'
                  : 'Keep last'
            }
            name="rotation_value"
            min={1}
            {...numberProps}
            value={values.rotationValue}
            onChange={(value) => onChange({ rotationValue: value })}
            error={error('rotation_policy.value')}
          />
        ) : null}
      </SimpleGrid>
      {values.rotation === 'gfs' ? (
        <SimpleGrid cols={{ base: 2, sm: 5 }}>
          {GFS_PERIODS.map((period) => (
            <NumberInput
              clampBehavior="none"
              key={period}
              label={PERIOD_LABELS[period].label}
              description={PERIOD_LABELS[period].description}
              name={`rotation_${period}`}
              min={0}
              {...numberProps}
              value={values.periods[period]}
              onChange={(value) => onChange({ periods: { ...values.periods, [period]: value } })}
              error={error(`rotation_policy.${period}`)}
            />
          ))}
        </SimpleGrid>
      ) : null}
      {values.rotation !== 'none' ? (
        <NumberInput
          clampBehavior="none"
          label="Always keep at least"
          description="successful backups, whatever the rule (min_keep)"
          name="rotation_min_keep"
          min={1}
          {...numberProps}
          value={values.minKeep}
          onChange={(value) => onChange({ minKeep: value })}
          error={error('rotation_policy.min_keep')}
        />
      ) : null}
      {databaseId ? <RetentionPreview databaseId={databaseId} policy={retentionPolicy(values)} /> : null}
    </Stack>
  );
}
