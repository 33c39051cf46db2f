'use client';

import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useState, type FormEvent, type ReactNode } from 'react';
import { fieldError, formError } from '@/lib/api/errors';
import { FormProblem } from './FormProblem';

/** The parts of a create or update mutation the form uses. */
interface SaveMutation<TVariables, TSaved> {
  mutate(variables: TVariables, options: { onSuccess: (saved: TSaved) => void }): void;
  isPending: boolean;
  error: unknown;
}

export interface ResourceFormState<TValues> {
  values: TValues;
  /** Merges `next` into the values. */
  set: (next: Partial<TValues>) => void;
  /** The last save's error, for fieldError() under each input. */
  error: unknown;
  /** The message above the form: the API's, unless every problem is shown under a field. */
  problem: string | undefined;
  /** Editing, and nothing changed: there is nothing to save. */
  unchanged: boolean;
  pending: boolean;
  submit: (event: FormEvent) => void;
}

/**
 * The state of an add/edit form for a tenant resource: adds with `create` (the whole body), or
 * edits `item` with `update` (only what changed), and calls `onSaved` with the answer.
 */
export function useResourceForm<TItem extends { id: string }, TValues, TCreate, TUpdate extends object>({
  item,
  initialValues,
  fields,
  create,
  update,
  createBody,
  updateBody,
  onSaved,
}: {
  item: TItem | undefined;
  initialValues: (item: TItem | undefined) => TValues;
  /** The API field names the form shows errors under. */
  fields: readonly string[];
  create: SaveMutation<{ body: TCreate }, TItem>;
  update: SaveMutation<{ path: { id: string }; body: TUpdate }, TItem>;
  createBody: (values: TValues) => TCreate;
  /** What differs from `item`; an empty object means unchanged. */
  updateBody: (item: TItem, values: TValues) => TUpdate;
  onSaved: (saved: TItem) => void;
}): ResourceFormState<TValues> {
  const [values, setValues] = useState(() => initialValues(item));
  const mutation = item ? update : create;
  const error = mutation.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (item) update.mutate({ path: { id: item.id }, body: updateBody(item, values) }, { onSuccess: onSaved });
    else create.mutate({ body: createBody(values) }, { onSuccess: onSaved });
  }

  return {
    values,
    set: (next) => setValues((current) => ({ ...current, ...next })),
    error,
    problem: formError(error, fields),
    unchanged: item ? Object.keys(updateBody(item, values)).length === 0 : false,
    pending: mutation.isPending,
    submit,
  };
}

/** The frame of an add/edit form: the API's message on top, the fields, then Cancel and the submit button. */
export function ResourceForm<TValues>({
  form,
  submitLabel,
  ready,
  onCancel,
  children,
}: {
  form: ResourceFormState<TValues>;
  submitLabel: string;
  /** Whether what is filled in can be sent (the button also waits for a change when editing). */
  ready: boolean;
  onCancel: () => void;
  children: ReactNode;
}) {
  return (
    <form onSubmit={form.submit} noValidate>
      <Stack>
        <FormProblem message={form.problem} />
        {children}
        <Group justify="flex-end">
          <Button variant="default" onClick={onCancel}>
            Cancel
          </Button>
          <Button type="submit" loading={form.pending} disabled={!ready || form.unchanged}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}

/** The resource's name, first in its form (and focused when the modal opens). */
export function NameField({ form, placeholder }: { form: ResourceFormState<{ name: string }>; placeholder: string }) {
  return (
    <TextInput
      label="Name"
      name="name"
      placeholder={placeholder}
      maxLength={100}
      required
      data-autofocus
      value={form.values.name}
      onChange={(event) => form.set({ name: event.currentTarget.value })}
      error={fieldError(form.error, 'name')}
    />
  );
}
