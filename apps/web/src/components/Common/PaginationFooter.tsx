import { Group, Pagination } from '@mantine/core';

/** Page links under a table; nothing when everything fits on one page. */
export function PaginationFooter({
  totalPages,
  page,
  onChange,
}: {
  totalPages: number;
  page: number;
  onChange: (page: number) => void;
}) {
  if (totalPages <= 1) return null;
  return (
    <Group justify="center">
      <Pagination total={totalPages} value={page} onChange={onChange} />
    </Group>
  );
}
