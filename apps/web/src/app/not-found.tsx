import type { Metadata } from 'next';
import { NotFoundPage } from '@/components/Shell/NotFoundPage';

export const metadata: Metadata = { title: 'Page not found' };

/** Unknown addresses (answered 404). */
export default function NotFound() {
  return <NotFoundPage />;
}
