import type { Metadata } from 'next';
import { Suspense } from 'react';
import { ActivityPage } from './ActivityPage';

export const metadata: Metadata = { title: 'Activity' };

export default function Page() {
  // The filters live in the URL's query (useSearchParams), read in the browser.
  return (
    <Suspense>
      <ActivityPage />
    </Suspense>
  );
}
