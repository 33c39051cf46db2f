'use client';

import { Alert, Code } from '@mantine/core';
import { IconTerminal2 } from '@tabler/icons-react';
import { useHealth } from '@/hooks/queries/health';

/**
 * On a development install without Discord, says where the sign-in code is: the API's log. Shown
 * only when the API says so (`sign_in_code_delivery: 'log'`), which it never does in production.
 */
export function DevCodeHint() {
  const health = useHealth();
  if (health.kind !== 'healthy' || health.health.sign_in_code_delivery !== 'log') return null;
  return (
    <Alert
      color="yellow"
      variant="light"
      icon={<IconTerminal2 size={18} aria-hidden />}
      title="No Discord configured"
      data-testid="dev-code-hint"
    >
      This is a development install without Discord: the sign-in code is in the API&apos;s log, on a line marked{' '}
      <Code>DEV ONLY</Code> (unless your profile sends codes to your own webhook).
    </Alert>
  );
}
