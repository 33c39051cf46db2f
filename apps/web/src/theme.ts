import {
  Alert,
  Anchor,
  createTheme,
  DEFAULT_THEME,
  Drawer,
  Modal,
  Pagination,
  type CSSVariablesResolver,
  type MantineColorsTuple,
} from '@mantine/core';
import anchorClasses from './anchor.module.css';

// A deep teal for the brand: calm, readable in light and dark schemes. Shade 9 is the one
// buttons, links and tinted badges use in both schemes (primaryShade below): white text on
// it, and it as text on its own 10 % tint, are above 4.5:1 (WCAG 2.2 AA for small text).
const brand: MantineColorsTuple = [
  '#e6fcf9',
  '#d4f5f0',
  '#abe9e0',
  '#7fdccf',
  '#5bd1c1',
  '#44cab8',
  '#23af9d',
  '#129c8b',
  '#00806f',
  '#007466',
];

/**
 * Mantine's colour with shades 8 and 9 darkened, where its own fall short of 4.5:1: white on
 * shade 8 (a filled button's hover), shade 9 on white and on its 10 % tint (the light
 * variant's text: badges, alerts). Red, blue and gray pass as they are.
 */
function readable(name: 'teal' | 'green' | 'orange' | 'yellow', shade8: string, shade9: string): MantineColorsTuple {
  const shades = [...DEFAULT_THEME.colors[name]];
  shades[8] = shade8;
  shades[9] = shade9;
  return shades as unknown as MantineColorsTuple;
}

const PAGINATION_CONTROLS = {
  first: 'First page',
  previous: 'Previous page',
  next: 'Next page',
  last: 'Last page',
} as const;

export const theme = createTheme({
  primaryColor: 'brand',
  colors: {
    brand,
    teal: readable('teal', '#087f5b', '#077554'),
    green: readable('green', '#2a8239', '#257735'),
    orange: readable('orange', '#c4420e', '#b63c0d'),
    yellow: readable('yellow', '#b05c00', '#a15300'),
  },
  // The same shade in both schemes: filled colours carry white text, and the dark scheme's
  // tinted variants use shade 4 on a shade-7 tint, both readable.
  primaryShade: { light: 9, dark: 9 },
  fontFamily:
    'Inter, ui-sans-serif, system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif',
  fontFamilyMonospace: 'ui-monospace, SFMono-Regular, Menlo, Consolas, "Liberation Mono", monospace',
  defaultRadius: 'md',
  headings: { fontWeight: '650' },
  components: {
    Card: { defaultProps: { withBorder: true, radius: 'md', padding: 'lg' } },
    // Icon-only buttons the components draw themselves get a name.
    Drawer: Drawer.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Modal: Modal.extend({ defaultProps: { closeButtonProps: { 'aria-label': 'Close' } } }),
    Alert: Alert.extend({ defaultProps: { closeButtonLabel: 'Dismiss' } }),
    // Underlined inside a paragraph or list item (anchor.module.css).
    Anchor: Anchor.extend({ classNames: { root: anchorClasses.root } }),
    Pagination: Pagination.extend({
      defaultProps: {
        getControlProps: (control: keyof typeof PAGINATION_CONTROLS) => ({
          'aria-label': PAGINATION_CONTROLS[control],
        }),
        getItemProps: (page: number) => ({ 'aria-label': `Page ${page}` }),
      },
    }),
  },
});

/**
 * Text colours Mantine defines below 4.5:1: dimmed text (gray 6 on white is 3.3:1, dark 2 on a
 * dark card 3.3:1), placeholders (gray 5 on a white input 2.1:1, dark 3 on a dark one 2.6:1),
 * error text (red 6 on white, red 8 on dark), and in the dark scheme coloured
 * text (shade 4: violet, indigo and grape on a card or their tint fall to 3.6–4.6:1): shade 3
 * there, above 5:1 for every colour on a card and on its tint.
 */
export const cssVariablesResolver: CSSVariablesResolver = (resolved) => {
  const dark: Record<string, string> = {
    '--mantine-color-dimmed': 'var(--mantine-color-dark-1)',
    '--mantine-color-placeholder': '#9c9c9c',
    '--mantine-color-error': 'var(--mantine-color-red-5)',
  };
  for (const name of Object.keys(resolved.colors)) {
    const shade = name === 'dark' ? 0 : 3;
    for (const part of ['text', 'light-color', 'outline'])
      dark[`--mantine-color-${name}-${part}`] = `var(--mantine-color-${name}-${shade})`;
  }
  return {
    variables: {},
    light: {
      '--mantine-color-dimmed': '#5c636a',
      '--mantine-color-placeholder': '#6b7178',
      '--mantine-color-error': 'var(--mantine-color-red-9)',
    },
    dark,
  };
};
