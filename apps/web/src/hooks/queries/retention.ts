import { getRetentionPreviewOptions, type GetRetentionPreviewData } from '@dumpstation/api-client';
import { keepPreviousData, useQuery } from '@tanstack/react-query';

export type RetentionProposal = NonNullable<GetRetentionPreviewData['query']>;

/**
 * What retention would keep and remove for a database under `proposal` (every field given, so
 * the answer is about the form as it is, not the stored policy); off while `proposal` is null.
 */
export function useRetentionPreview(databaseId: string | undefined, proposal: RetentionProposal | null) {
  return useQuery({
    ...getRetentionPreviewOptions({ path: { id: databaseId ?? '' }, query: proposal ?? undefined }),
    enabled: Boolean(databaseId && proposal),
    placeholderData: keepPreviousData,
  });
}
