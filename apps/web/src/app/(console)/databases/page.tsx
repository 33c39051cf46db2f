import type { Metadata } from 'next';
import { DatabasesPage } from './DatabasesPage';

export const metadata: Metadata = { title: 'Databases' };

export default function Page() {
  return <DatabasesPage />;
}
