import type { NextConfig } from 'next';
import { resolve } from 'node:path';

const config: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // The generated client ships TypeScript source.
  transpilePackages: ['@dumpstation/api-client'],
  turbopack: { root: resolve(__dirname, '../..') },
  experimental: { optimizePackageImports: ['@mantine/core', '@mantine/hooks', '@tabler/icons-react'] },
};

export default config;
