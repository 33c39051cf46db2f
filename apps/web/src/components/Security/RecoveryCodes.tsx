'use client';

import { Alert, Button, Code, CopyButton, Group, SimpleGrid, Stack } from '@mantine/core';
import { IconCheck, IconCopy, IconDownload } from '@tabler/icons-react';

export const RECOVERY_CODES_FILE = 'dumpstation-recovery-codes.txt';

/** The codes as a text file, one a line, saved by the browser (made here: nothing leaves the tab). */
function download(codes: string[]) {
  const text = [
    `DumpStation recovery codes (${window.location.host}), saved ${new Date().toISOString()}`,
    'Each code signs you in once in place of an authenticator code.',
    '',
    ...codes,
    '',
  ].join('\n');
  const url = URL.createObjectURL(new Blob([text], { type: 'text/plain;charset=utf-8' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = RECOVERY_CODES_FILE;
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 30_000);
}

/** The recovery codes, shown this once: each works once, in place of an authenticator code. */
export function RecoveryCodes({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" variant="light" title="Save your recovery codes now">
        Two-factor authentication is on. If you lose your authenticator, each of these codes signs you in once. They are
        shown only this once: store them somewhere safe, like a password manager.
      </Alert>
      <SimpleGrid cols={{ base: 1, xs: 2 }} spacing="xs" data-testid="recovery-codes" maw={420}>
        {codes.map((code) => (
          <Code key={code} fz="md" ta="center" py={6} data-testid="recovery-code">
            {code}
          </Code>
        ))}
      </SimpleGrid>
      <Group>
        <CopyButton value={codes.join('\n')}>
          {({ copied, copy }) => (
            <Button
              variant="default"
              leftSection={copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
              onClick={copy}
            >
              {copied ? 'Copied' : 'Copy all'}
            </Button>
          )}
        </CopyButton>
        <Button variant="default" leftSection={<IconDownload size={16} />} onClick={() => download(codes)}>
          Download
        </Button>
        <Button onClick={onDone}>I saved them</Button>
      </Group>
    </Stack>
  );
}
