import type { QueryClient } from '@tanstack/react-query';
import { showToast } from '@/components/Common/Toasts';

/**
 * The toasts after a change made in this tab (every create, update and delete says it happened):
 * told here, in the mutation hooks, so no page can forget one.
 */
export function toastDone(title: string, message: string): void {
  showToast({ color: 'teal', title, message });
}

/** “name” in curly quotes, or `fallback` when the name is unknown. */
export function quoted(name: string | null | undefined, fallback: string): string {
  return name ? `“${name}”` : fallback;
}

type Named = { id?: unknown; name?: unknown; username?: unknown; user?: { username?: unknown } };

function nameOf(item: Named): string | null {
  if (typeof item.name === 'string') return item.name;
  if (typeof item.username === 'string') return item.username;
  if (typeof item.user?.username === 'string') return item.user.username;
  return null;
}

/**
 * The name of the resource `id` as the cache of these generated operations holds it (its detail or a
 * list page that shows it), for the toast after deleting it: the delete's answer names nothing.
 */
export function cachedName(queryClient: QueryClient, id: string, ...operationIds: string[]): string | null {
  const entries = queryClient.getQueriesData<unknown>({
    predicate: (query) => operationIds.includes(String((query.queryKey[0] as { _id?: unknown } | undefined)?._id)),
  });
  for (const [, data] of entries) {
    if (!data || typeof data !== 'object') continue;
    const items: Named[] = Array.isArray((data as { items?: unknown }).items)
      ? (data as { items: Named[] }).items
      : Array.isArray(data)
        ? (data as Named[])
        : [data as Named];
    const found = items.find((item) => item && item.id === id);
    const name = found ? nameOf(found) : null;
    if (name) return name;
  }
  return null;
}
