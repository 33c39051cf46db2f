import { formatBytes, formatExactBytes } from '@/lib/format';

/** A size in IEC units (22.6 MiB), its exact byte count on hover (23,731,839 bytes). */
export function ByteSize({
  bytes,
  testId,
  empty = '—',
}: {
  bytes: number | null | undefined;
  testId?: string;
  empty?: string;
}) {
  const known = bytes !== null && bytes !== undefined && Number.isFinite(bytes) && bytes >= 0;
  return (
    <span
      data-testid={testId}
      data-bytes={known ? bytes : undefined}
      title={known ? formatExactBytes(bytes) : undefined}
      style={known ? { cursor: 'help' } : undefined}
    >
      {formatBytes(bytes, empty)}
    </span>
  );
}
