'use client';

import { Button, Group, Stack, TextInput } from '@mantine/core';
import type { TenantDto } from '@dumpstation/api-client';
import { useState, type FormEvent } from 'react';
import { FormProblem } from '@/components/Common/FormProblem';
import { useCreateTenant, useRenameTenant } from '@/hooks/queries/tenants';
import { fieldError, formError } from '@/lib/api/errors';

/** A slug suggested from a name: lowercase letters, digits and dashes. */
export function slugOf(name: string): string {
  return name
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 63)
    .replace(/-+$/, '');
}

/**
 * Creates a tenant (`tenant` absent) or renames one: its name and its slug. The slug follows the
 * name of a new tenant until it is typed in.
 */
export function TenantForm({ tenant, onDone }: { tenant?: TenantDto; onDone?: () => void }) {
  const create = useCreateTenant();
  const rename = useRenameTenant();
  const mutation = tenant ? rename : create;
  const [name, setName] = useState(tenant?.name ?? '');
  const [slug, setSlug] = useState(tenant?.slug ?? '');
  const [slugTyped, setSlugTyped] = useState(Boolean(tenant));

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = { name: name.trim(), slug: slug.trim() };
    const done = () => {
      if (!tenant) {
        setName('');
        setSlug('');
        setSlugTyped(false);
      }
      onDone?.();
    };
    if (tenant) {
      const changes = {
        ...(body.name !== tenant.name ? { name: body.name } : {}),
        ...(body.slug !== tenant.slug ? { slug: body.slug } : {}),
      };
      if (Object.keys(changes).length === 0) return onDone?.();
      rename.mutate({ path: { id: tenant.id }, body: changes }, { onSuccess: done });
    } else {
      create.mutate({ body }, { onSuccess: done });
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack>
        <FormProblem message={formError(mutation.error, ['name', 'slug'])} />
        <Group align="flex-start" grow preventGrowOverflow={false} wrap="wrap">
          <TextInput
            label="Name"
            name="name"
            placeholder="Acme"
            maxLength={100}
            required
            value={name}
            onChange={(event) => {
              const next = event.currentTarget.value;
              setName(next);
              if (!slugTyped) setSlug(slugOf(next));
            }}
            error={fieldError(mutation.error, 'name')}
            miw={200}
          />
          <TextInput
            label="Slug"
            name="slug"
            placeholder="acme"
            description="Lowercase letters, digits and dashes; unique"
            maxLength={63}
            required
            value={slug}
            onChange={(event) => {
              setSlug(event.currentTarget.value);
              setSlugTyped(true);
            }}
            error={fieldError(mutation.error, 'slug')}
            miw={200}
          />
        </Group>
        <Group justify="flex-end">
          {onDone && tenant ? (
            <Button variant="default" onClick={onDone}>
              Cancel
            </Button>
          ) : null}
          <Button type="submit" loading={mutation.isPending}>
            {tenant ? 'Save' : 'Create tenant'}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
