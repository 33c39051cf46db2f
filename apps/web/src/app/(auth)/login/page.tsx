import { Center, Loader } from '@mantine/core';
import type { Metadata } from 'next';
import { Suspense } from 'react';
import { LoginForm } from '@/components/Auth/LoginForm';

export const metadata: Metadata = { title: 'Sign in' };

export default function LoginPage() {
  return (
    <Suspense
      fallback={
        <Center mih="100vh">
          <Loader />
        </Center>
      }
    >
      <LoginForm />
    </Suspense>
  );
}
