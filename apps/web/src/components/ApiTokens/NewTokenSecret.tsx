'use client';

import { Alert, Button, Code, CopyButton, Group, Stack, Text } from '@mantine/core';
import type { CreatedApiTokenDto } from '@dumpstation/api-client';
import { IconCheck, IconCopy, IconKey } from '@tabler/icons-react';

/** A new token's secret: shown this once, never again. */
export function NewTokenSecret({ token, onDone }: { token: CreatedApiTokenDto; onDone: () => void }) {
  return (
    <Alert
      color="teal"
      variant="light"
      icon={<IconKey />}
      title={`Token “${token.name}” created`}
      data-testid="new-token"
    >
      <Stack gap="sm">
        <Text size="sm">
          Copy the secret now: it is not stored and will not be shown again. Send it as{' '}
          <Code>Authorization: Bearer &lt;token&gt;</Code>.
        </Text>
        <Code block data-testid="new-token-secret" style={{ wordBreak: 'break-all', whiteSpace: 'pre-wrap' }}>
          {token.token}
        </Code>
        <Group>
          <CopyButton value={token.token}>
            {({ copied, copy }) => (
              <Button
                size="xs"
                variant={copied ? 'filled' : 'default'}
                leftSection={copied ? <IconCheck size={14} /> : <IconCopy size={14} />}
                onClick={copy}
              >
                {copied ? 'Copied' : 'Copy'}
              </Button>
            )}
          </CopyButton>
          <Button size="xs" variant="subtle" onClick={onDone}>
            Done
          </Button>
        </Group>
      </Stack>
    </Alert>
  );
}
