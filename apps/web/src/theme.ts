import { createTheme, type MantineColorsTuple } from '@mantine/core';

// A deep teal for the brand: calm, readable in light and dark schemes.
const brand: MantineColorsTuple = [
  '#e6fcf9',
  '#d4f5f0',
  '#abe9e0',
  '#7fdccf',
  '#5bd1c1',
  '#44cab8',
  '#35c6b3',
  '#23af9d',
  '#129c8b',
  '#008777',
];

export const theme = createTheme({
  primaryColor: 'brand',
  colors: { brand },
  primaryShade: { light: 8, dark: 6 },
  fontFamily:
    'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
  },
});
