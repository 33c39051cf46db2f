import { isErrorResponse, type ErrorResponseDto } from '@dumpstation/api-client';
import { inWords, labelOf } from './field-words';

/** The API's error body, when `error` is one. */
export function apiError(error: unknown): ErrorResponseDto | undefined {
  return isErrorResponse(error) ? error : undefined;
}

export function errorCode(error: unknown): string | undefined {
  return apiError(error)?.code;
}

/** A sentence for the user about any error (the API's message, or why the request failed). */
export function errorMessage(error: unknown, fallback = 'Something went wrong. Try again.'): string {
  const body = apiError(error);
  if (body) return body.message;
  if (error instanceof Error && error.message) return error.message;
  return fallback;
}

/** The API's message about one input field, in words for the form, to show under it. */
export function fieldError(error: unknown, field: string): string | undefined {
  const problem = apiError(error)?.errors.find((e) => e.field === field);
  return problem ? inWords(problem.field, problem.message) : undefined;
}

/**
 * The message to show above a form: the API's message, unless every problem it reported is
 * shown under one of the form's `fields`; then, when there are several, which inputs need a look.
 */
export function formError(error: unknown, fields: readonly string[]): string | undefined {
  if (!error) return undefined;
  const body = apiError(error);
  if (body && body.errors.length > 0 && body.errors.every((e) => fields.includes(e.field))) {
    const labels = [...new Set(body.errors.map((e) => labelOf(e.field)))];
    return labels.length > 1 ? `${labels.length} fields need a look: ${labels.join(', ')}.` : undefined;
  }
  if (body && body.errors.length > 0) return body.errors.map((e) => inWords(e.field, e.message)).join(' ');
  return errorMessage(error);
}
