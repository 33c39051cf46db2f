import type { Metadata } from 'next';
import { Suspense } from 'react';
import { BackupsPage } from './BackupsPage';

export const metadata: Metadata = { title: 'Backups' };

export default function Page() {
  // The filters live in the URL's query (useSearchParams), read in the browser.
  return (
    <Suspense>
      <BackupsPage />
    </Suspense>
  );
}
