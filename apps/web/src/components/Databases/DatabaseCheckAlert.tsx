import { Code, Group, Text } from '@mantine/core';
import type { DatabaseCheckDto } from '@dumpstation/api-client';
import { CheckResultAlert } from '@/components/Common/CheckResultAlert';

function Fact({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <Group gap={6} wrap="nowrap">
      <Text size="sm" c="dimmed" miw={120}>
        {label}
      </Text>
      <Code data-testid={testId}>{value}</Code>
    </Group>
  );
}

/** A connection test's outcome: the message, and the server and pg_dump versions when known. */
export function DatabaseCheckAlert({
  subject,
  result,
  error,
  onClose,
}: {
  subject: string;
  result?: DatabaseCheckDto;
  error?: unknown;
  onClose?: () => void;
}) {
  return (
    <CheckResultAlert subject={subject} result={result} error={error} onClose={onClose} testId="database-test-result">
      {result?.server_version ? (
        <Fact label="Server version" value={`PostgreSQL ${result.server_version}`} testId="database-server-version" />
      ) : null}
      {result?.pg_dump_path ? (
        <Fact label="pg_dump" value={result.pg_dump_path} testId="database-pg-dump-path" />
      ) : null}
      {result?.pg_dump_version ? (
        <Fact label="pg_dump version" value={result.pg_dump_version} testId="database-pg-dump-version" />
      ) : null}
    </CheckResultAlert>
  );
}
