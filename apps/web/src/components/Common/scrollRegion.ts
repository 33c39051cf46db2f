import type { TableScrollContainerProps } from '@mantine/core';

/**
 * Props for a Table.ScrollContainer whose table may scroll sideways (on a phone): its viewport
 * is a named region a keyboard can reach and scroll (WCAG 2.1.1, axe scrollable-region-focusable).
 */
export function scrollRegion(label: string): Pick<TableScrollContainerProps, 'scrollAreaProps'> {
  return {
    scrollAreaProps: {
      viewportProps: { tabIndex: 0, role: 'region', 'aria-label': label } as Record<string, unknown>,
    },
  };
}
