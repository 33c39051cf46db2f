import { defineConfig } from '@hey-api/openapi-ts';

// The client is generated from the committed document; `make swagger` regenerates both and
// `make test` fails when either differs from what is committed.
export default defineConfig({
  input: '../../docs/openapi.json',
  output: { path: 'src/generated', clean: true },
  plugins: ['@hey-api/client-fetch', '@hey-api/typescript', '@hey-api/sdk', '@tanstack/react-query'],
});
