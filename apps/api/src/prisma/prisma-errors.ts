/** A unique constraint refused the write (Prisma P2002): the caller turns it into a 409 naming the field. */
export function isUniqueViolation(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'P2002';
}

/** Runs a write and maps a unique-constraint refusal to `onConflict()` (no check-then-write race). */
export async function uniquely<T>(write: () => Promise<T>, onConflict: () => Error): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (isUniqueViolation(error)) throw onConflict();
    throw error;
  }
}
