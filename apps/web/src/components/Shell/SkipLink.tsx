'use client';

import type { MouseEvent } from 'react';
import classes from './SkipLink.module.css';

export const MAIN_CONTENT_ID = 'main-content';
export const mainClassName = classes.main;

/** "Skip to main content": past the header and the navigation, focus on the page itself. */
export function SkipLink() {
  function onClick(event: MouseEvent<HTMLAnchorElement>) {
    const main = document.getElementById(MAIN_CONTENT_ID);
    if (!main) return;
    event.preventDefault();
    main.focus();
    main.scrollIntoView();
  }
  return (
    <a href={`#${MAIN_CONTENT_ID}`} className={classes.skipLink} onClick={onClick}>
      Skip to main content
    </a>
  );
}
