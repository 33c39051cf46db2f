import { Alert } from '@mantine/core';

/** The message above a form when the API refused it (see formError); nothing when there is none. */
export function FormProblem({ message }: { message: string | null | undefined }) {
  if (!message) return null;
  return (
    <Alert color="red" variant="light" role="alert">
      {message}
    </Alert>
  );
}
