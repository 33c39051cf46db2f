import { Anchor, Badge, Code, Table, Text, Tooltip } from '@mantine/core';
import type { ActivityLogDto } from '@dumpstation/api-client';
import Link from 'next/link';
import { formatDateTime } from '@/lib/format';
import { scrollRegion } from '@/components/Common/scrollRegion';
import { resourceLink, resourceLabel, type ResourceGone } from './resource-links';

const LEVEL_COLORS: Record<ActivityLogDto['level'], string> = { Info: 'blue', Warning: 'orange', Error: 'red' };

function shortId(id: string | null): string {
  return id ? id.slice(0, 8) : '—';
}

function Actor({ entry }: { entry: ActivityLogDto }) {
  const user = entry.user_name ?? (entry.user_id ? `a removed user (${shortId(entry.user_id)})` : null);
  if (entry.api_token_id) {
    return <Text size="sm">{user ? `${user}'s API token` : `API token ${shortId(entry.api_token_id)}`}</Text>;
  }
  if (user) return <Text size="sm">{user}</Text>;
  return (
    <Text size="sm" c="dimmed">
      —
    </Text>
  );
}

/** The resource an entry is about: its name, linked to its page while it exists. */
function Resource({ entry, gone }: { entry: ActivityLogDto; gone: ResourceGone }) {
  if (!entry.resource_type) {
    return (
      <Text size="sm" c="dimmed">
        —
      </Text>
    );
  }
  const { kind, name } = resourceLabel(entry);
  const href = resourceLink(entry, gone);
  return (
    <Text size="sm" data-testid="activity-resource">
      <Text span size="xs" c="dimmed">
        {kind}
      </Text>{' '}
      {href ? (
        <Anchor component={Link} href={href} size="sm" underline="always">
          {name}
        </Anchor>
      ) : (
        <Text span size="sm" title="Deleted since">
          {name}
        </Text>
      )}
    </Text>
  );
}

export function ActivityTable({
  entries,
  filtered = false,
  gone = () => false,
}: {
  entries: ActivityLogDto[];
  filtered?: boolean;
  /** Whether the resource of an entry no longer exists (shown by its name, without a link). */
  gone?: ResourceGone;
}) {
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
              data-user={entry.user_name ?? ''}
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
                <Badge variant="light" color={entry.outcome === 'success' ? 'teal' : 'red'} miw="max-content">
                  {entry.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Badge variant="dot" color={LEVEL_COLORS[entry.level]} miw="max-content">
                  {entry.level}
                </Badge>
              </Table.Td>
              <Table.Td>
                <Resource entry={entry} gone={gone} />
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
