import type { Metadata } from 'next';
import { StoragePage } from './StoragePage';

export const metadata: Metadata = { title: 'Storage' };

export default function Page() {
  return <StoragePage />;
}
