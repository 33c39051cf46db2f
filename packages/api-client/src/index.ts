// The generated code is never edited by hand; this file only adds set-up helpers.
export * from './generated';
export * from './generated/@tanstack/react-query.gen';
export { client } from './generated/client.gen';
import { client } from './generated/client.gen';
import type { ErrorResponseDto } from './generated';

export interface ClientSettings {
  /** Origin of the API, e.g. http://localhost:8080; '' for the same origin (the console's proxy). */
  baseUrl: string;
  /** Returns the bearer credential (JWT or API token) to send, if any. */
  token?: () => string | undefined | Promise<string | undefined>;
  fetch?: typeof fetch;
}

/** Points the shared generated client at an API. */
export function configureClient(settings: ClientSettings): void {
  client.setConfig({ baseUrl: settings.baseUrl, auth: settings.token, fetch: settings.fetch });
}

/** An error answered by the API, in its one error shape. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: ErrorResponseDto,
  ) {
    super(body.message);
    this.name = 'ApiError';
  }
}

export function isErrorResponse(value: unknown): value is ErrorResponseDto {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as ErrorResponseDto).status === 'number' &&
    typeof (value as ErrorResponseDto).code === 'string'
  );
}
