import { Badge, Code, Table, Text, Tooltip } from '@mantine/core';
import type { ActivityLogDto } from '@dumpstation/api-client';
import { formatDateTime } from '@/lib/format';
import { scrollRegion } from '@/components/Common/scrollRegion';

const LEVEL_COLORS: Record<ActivityLogDto['level'], string> = { Info: 'blue', Warning: 'orange', Error: 'red' };

function shortId(id: string | null): string {
  return id ? id.slice(0, 8) : '—';
}

function Actor({ entry }: { entry: ActivityLogDto }) {
  if (entry.api_token_id) return <Text size="sm">API token {shortId(entry.api_token_id)}</Text>;
  if (entry.user_id) return <Text size="sm">{entry.user_name ?? `User ${shortId(entry.user_id)}`}</Text>;
  return (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}

export function ActivityTable({ entries, filtered = false }: { entries: ActivityLogDto[]; filtered?: boolean }) {
  if (entries.length === 0) {
    return (
      <Text c="dimmed" size="sm">
        Nothing recorded{filtered ? ' that matches these filters' : ' yet'}.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={860} {...scrollRegion('Activity')}>
      <Table verticalSpacing="xs" striped data-testid="activity-table">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>When</Table.Th>
            <Table.Th>Action</Table.Th>
            <Table.Th>Outcome</Table.Th>
            <Table.Th>Level</Table.Th>
            <Table.Th>Resource</Table.Th>
            <Table.Th>By</Table.Th>
            <Table.Th>IP</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr
              key={entry.id}
              data-testid="activity-row"
              data-level={entry.level}
              data-resource-type={entry.resource_type ?? ''}
              data-event={entry.event}
            >
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.created_at)}</Table.Td>
              <Table.Td>
                {entry.details ? (
                  <Tooltip label={<Code>{JSON.stringify(entry.details)}</Code>} multiline maw={420}>
                    <Code>{entry.event}</Code>
                  </Tooltip>
                ) : (
                  <Code>{entry.event}</Code>
                )}
                <Text size="xs" c="dimmed">
                  {entry.action}
                </Text>
              </Table.Td>
              <Table.Td>
                <Badge variant="light" color={entry.outcome === 'success' ? 'teal' : 'red'}>
                  {entry.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Badge variant="dot" color={LEVEL_COLORS[entry.level]}>
                  {entry.level}
                </Badge>
              </Table.Td>
              <Table.Td>
                {entry.resource_type ? (
                  <Text size="sm">
                    {entry.resource_type} {entry.resource_name ?? shortId(entry.resource_id)}
                  </Text>
                ) : (
                  <Text size="sm" c="dimmed">
                    —
                  </Text>
                )}
              </Table.Td>
              <Table.Td>
                <Actor entry={entry} />
              </Table.Td>
              <Table.Td>
                <Text size="sm" ff="monospace">
                  {entry.ip ?? '—'}
                </Text>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
