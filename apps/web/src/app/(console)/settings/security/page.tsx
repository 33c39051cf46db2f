import type { Metadata } from 'next';
import { SecurityPage } from './SecurityPage';

export const metadata: Metadata = { title: 'Security' };

export default function Page() {
  return <SecurityPage />;
}
