'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

/**
 * A list's filters kept in the URL's query (so they survive a reload and can be shared): the
 * current values of `keys` (null when absent), a setter that changes some of them (null or ''
 * removes one) and a page that goes back to 1 whenever a filter changes.
 */
export function useUrlFilters<K extends string>(keys: readonly K[]) {
  const params = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const serialized = params.toString();
  const names = keys.join('&');
  const values = useMemo(() => {
    const current = new URLSearchParams(serialized);
    return Object.fromEntries(names.split('&').map((key) => [key, current.get(key)])) as Record<K, string | null>;
  }, [serialized, names]);
  const page = Math.max(1, Number.parseInt(params.get('page') ?? '1', 10) || 1);

  const replace = useCallback(
    (change: (next: URLSearchParams) => void) => {
      const next = new URLSearchParams(window.location.search);
      change(next);
      const query = next.toString();
      router.replace(query ? `${pathname}?${query}` : pathname, { scroll: false });
    },
    [router, pathname],
  );
  const setFilters = useCallback(
    (changes: Partial<Record<K, string | null>>) =>
      replace((next) => {
        for (const [key, value] of Object.entries(changes) as [K, string | null | undefined][]) {
          if (value) next.set(key, value);
          else next.delete(key);
        }
        next.delete('page');
      }),
    [replace],
  );
  const setPage = useCallback(
    (value: number) =>
      replace((next) => {
        if (value > 1) next.set('page', String(value));
        else next.delete('page');
      }),
    [replace],
  );
  return { values, setFilters, page, setPage };
}

/** `value` when it is one of `allowed` (a hand-edited URL must not make the API answer 400), else null. */
export function oneOf<T extends string>(value: string | null, allowed: readonly T[]): T | null {
  return value !== null && (allowed as readonly string[]).includes(value) ? (value as T) : null;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

/** A `yyyy-mm-dd` day of the date inputs as the instant its (local) day starts or ends, for `from`/`to`. */
export function dayBound(day: string | null, end: 'start' | 'end'): string | null {
  if (!day || !DAY.test(day)) return null;
  const instant = new Date(`${day}T${end === 'start' ? '00:00:00.000' : '23:59:59.999'}`);
  return Number.isNaN(instant.getTime()) ? null : instant.toISOString();
}

/** A UUID-looking id (else null: the API answers 400 for anything else). */
export function uuidOrNull(value: string | null): string | null {
  return value && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(value) ? value : null;
}
