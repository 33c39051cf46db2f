import { Badge } from '@mantine/core';
import { ROLE_LABELS, type Role } from '@/lib/auth/roles';

const COLORS: Record<Role, string> = { owner: 'grape', admin: 'blue', operator: 'teal', viewer: 'gray' };

export function RoleBadge({ role }: { role: Role }) {
  return (
    <Badge variant="light" color={COLORS[role]}>
      {ROLE_LABELS[role]}
    </Badge>
  );
}
