import type { Metadata } from 'next';
import { ApiTokensPage } from './ApiTokensPage';

export const metadata: Metadata = { title: 'API tokens' };

export default function Page() {
  return <ApiTokensPage />;
}
