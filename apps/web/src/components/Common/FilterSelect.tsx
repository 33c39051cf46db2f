'use client';

import { Select } from '@mantine/core';

/** A clearable picker above a list that narrows it to one value (nothing picked: everything). */
export function FilterSelect<T extends string>({
  label,
  placeholder,
  data,
  value,
  onChange,
  width = 180,
}: {
  /** Its accessible name. */
  label: string;
  /** Shown when nothing is picked, e.g. “All levels”. */
  placeholder: string;
  data: { value: T; label: string }[];
  value: T | null;
  onChange: (value: T | null) => void;
  width?: number;
}) {
  return (
    <Select
      aria-label={label}
      placeholder={placeholder}
      data={data}
      value={value}
      onChange={(next) => onChange(next as T | null)}
      clearable
      w={width}
    />
  );
}
