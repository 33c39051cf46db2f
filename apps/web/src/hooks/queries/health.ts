import { getHealthOptions, isErrorResponse, type HealthDto } from '@dumpstation/api-client';
import { useQuery } from '@tanstack/react-query';

export type HealthState =
  | { kind: 'loading' }
  | { kind: 'healthy'; health: HealthDto }
  /** The API answered, but a dependency (its database) is down: HTTP 503 with the same body. */
  | { kind: 'degraded'; health: HealthDto }
  /** No health report at all: the API (or the console's proxy to it) is unreachable. */
  | { kind: 'unreachable'; message: string };

function isHealthReport(value: unknown): value is HealthDto {
  return typeof value === 'object' && value !== null && 'database' in value && 'status' in value;
}

/** The API's health, refreshed every 15 s. */
export function useHealth(): HealthState {
  const query = useQuery({ ...getHealthOptions(), refetchInterval: 15_000, retry: false });
  if (query.data) return { kind: 'healthy', health: query.data };
  if (query.isError) {
    const error: unknown = query.error;
    if (isHealthReport(error)) return { kind: 'degraded', health: error };
    if (isErrorResponse(error)) return { kind: 'unreachable', message: error.message };
    return { kind: 'unreachable', message: error instanceof Error ? error.message : 'The API did not answer' };
  }
  return { kind: 'loading' };
}
