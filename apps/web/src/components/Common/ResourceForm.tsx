'use client';

import { Button, Group, Stack, TextInput } from '@mantine/core';
import { useEffect, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { fieldError, formError } from '@/lib/api/errors';
import { CheckResultAlert, type CheckResult } from './CheckResultAlert';
import { FormProblem } from './FormProblem';

/** The parts of a create or update mutation the form uses. */
interface SaveMutation<TVariables, TSaved> {
  mutate(variables: TVariables, options: { onSuccess: (saved: TSaved) => void }): void;
  isPending: boolean;
  error: unknown;
}

/** The parts of a test mutation (POST …/test) the form uses. */
interface TestMutation<TVariables> {
  mutate(variables: TVariables): void;
  reset(): void;
  isPending: boolean;
  error: unknown;
  data?: CheckResult;
}

/** "Test" with what is filled in, before saving: a new item's settings, or an edit's changes on top of the saved item. */
export interface UnsavedTest<TItem, TValues, TTestCreate, TTestChanges> {
  unsaved: TestMutation<{ body: TTestCreate }>;
  saved: TestMutation<{ path: { id: string }; body: TTestChanges }>;
  unsavedBody: (values: TValues) => TTestCreate;
  /** Only what differs from the saved item; secrets left empty keep the saved ones. */
  changesBody: (item: TItem, values: TValues) => TTestChanges;
}

export interface FormTestState {
  run: () => void;
  pending: boolean;
  result: CheckResult | undefined;
  error: unknown;
  dismiss: () => void;
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
  /** The "Test" button's state, when the form has one. */
  test?: FormTestState;
}

/**
 * The state of an add/edit form for a tenant resource: adds with `create` (the whole body), or
 * edits `item` with `update` (only what changed), and calls `onSaved` with the answer.
 */
export function useResourceForm<
  TItem extends { id: string },
  TValues,
  TCreate,
  TUpdate extends object,
  TTestCreate = never,
  TTestChanges = never,
>({
  item,
  initialValues,
  fields,
  create,
  update,
  createBody,
  updateBody,
  onSaved,
  test,
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
  test?: UnsavedTest<TItem, TValues, TTestCreate, TTestChanges>;
}): ResourceFormState<TValues> {
  const [values, setValues] = useState(() => initialValues(item));
  const mutation = item ? update : create;
  const error = mutation.error;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (item) update.mutate({ path: { id: item.id }, body: updateBody(item, values) }, { onSuccess: onSaved });
    else create.mutate({ body: createBody(values) }, { onSuccess: onSaved });
  }

  const testMutation = test ? (item ? test.saved : test.unsaved) : undefined;
  const testState: FormTestState | undefined =
    test && testMutation
      ? {
          run: () =>
            item
              ? test.saved.mutate({ path: { id: item.id }, body: test.changesBody(item, values) })
              : test.unsaved.mutate({ body: test.unsavedBody(values) }),
          pending: testMutation.isPending,
          result: testMutation.data,
          error: testMutation.error,
          dismiss: () => testMutation.reset(),
        }
      : undefined;

  return {
    values,
    test: testState,
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
  testSubject,
}: {
  form: ResourceFormState<TValues>;
  submitLabel: string;
  /** What the Test button tests, in its result's title (e.g. “These settings”). */
  testSubject?: string;
  /** Whether what is filled in can be sent (the button also waits for a change when editing). */
  ready: boolean;
  onCancel: () => void;
  children: ReactNode;
}) {
  const ref = useRef<HTMLFormElement>(null);
  // A refused save takes the user to what to fix: the first input with an error, else the message on top.
  useEffect(() => {
    if (!form.error || !ref.current) return;
    const first = ref.current.querySelector<HTMLElement>('[aria-invalid="true"]');
    const target = first ?? ref.current.querySelector<HTMLElement>('[role="alert"]');
    target?.scrollIntoView({ block: 'center' });
    first?.focus();
  }, [form.error]);
  return (
    <form ref={ref} onSubmit={form.submit} noValidate>
      <Stack>
        <FormProblem message={form.problem} />
        {children}
        {form.test && (form.test.result || form.test.error) ? (
          <CheckResultAlert
            subject={testSubject ?? 'These settings'}
            result={form.test.result}
            error={form.test.error}
            onClose={form.test.dismiss}
            testId="form-test-result"
            titles={{
              error: 'Could not test these settings',
              passed: 'Test passed: nothing saved yet',
              failed: 'Test failed: nothing saved',
            }}
          />
        ) : null}
        <Group justify="flex-end">
          {form.test ? (
            <Button variant="light" mr="auto" loading={form.test.pending} disabled={!ready} onClick={form.test.run}>
              Test
            </Button>
          ) : null}
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
