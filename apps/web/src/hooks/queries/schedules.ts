import { previewScheduleOptions } from '@dumpstation/api-client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';

/**
 * The description and next runs of a proposed schedule (GET /schedules/preview), as the database
 * would show them once saved; off while the expression is empty. A 400 names the bad field.
 */
export function useSchedulePreview(schedule: string, timezone: string) {
  return useQuery({
    ...previewScheduleOptions({ query: { schedule, timezone } }),
    enabled: schedule.trim() !== '',
    placeholderData: keepPreviousData,
    retry: false,
  });
}
