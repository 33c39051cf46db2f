import type { Metadata } from 'next';
import { DatabaseDetailPage } from './DatabaseDetailPage';

export const metadata: Metadata = { title: 'Database' };

export default async function Page({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <DatabaseDetailPage id={id} />;
}
