'use client';

import { CloseButton, TextInput } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { IconSearch } from '@tabler/icons-react';
import { useEffect, useRef, useState } from 'react';

/**
 * A search box above a list: typing is passed on (e.g. into the URL) once it pauses for
 * `delayMs`, so the list is not asked again on every key.
 */
export function SearchFilter({
  value,
  onChange,
  placeholder,
  label = 'Search',
  delayMs = 300,
  width = 240,
}: {
  value: string | null;
  onChange: (value: string | null) => void;
  placeholder: string;
  label?: string;
  delayMs?: number;
  width?: number;
}) {
  const [text, setText] = useState(value ?? '');
  const [debounced] = useDebouncedValue(text.trim(), delayMs);
  const latest = useRef(onChange);
  latest.current = onChange;
  useEffect(() => {
    if (debounced !== (value ?? '')) latest.current(debounced || null);
    // Only a settled change of the text is passed on, not a change of `value` from outside.
  }, [debounced]);
  return (
    <TextInput
      aria-label={label}
      placeholder={placeholder}
      leftSection={<IconSearch size={16} />}
      value={text}
      onChange={(event) => setText(event.currentTarget.value)}
      rightSection={
        text ? (
          <CloseButton
            aria-label="Clear the search"
            size="sm"
            onClick={() => {
              setText('');
              onChange(null);
            }}
          />
        ) : null
      }
      w={width}
    />
  );
}

/** Two day pickers, from and to (both days included); `yyyy-mm-dd` values, null when empty. */
export function DateRangeFilter({
  from,
  to,
  onChange,
}: {
  from: string | null;
  to: string | null;
  onChange: (range: { from: string | null; to: string | null }) => void;
}) {
  return (
    <>
      <TextInput
        type="date"
        aria-label="From"
        title="From (this day included)"
        value={from ?? ''}
        max={to ?? undefined}
        onChange={(event) => onChange({ from: event.currentTarget.value || null, to })}
        w={160}
      />
      <TextInput
        type="date"
        aria-label="To"
        title="To (this day included)"
        value={to ?? ''}
        min={from ?? undefined}
        onChange={(event) => onChange({ from, to: event.currentTarget.value || null })}
        w={160}
      />
    </>
  );
}
