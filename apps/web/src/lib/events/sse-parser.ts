/** One server-sent event as the stream gave it. */
export interface SseEvent {
  id: string | undefined;
  event: string;
  data: string;
}

/**
 * Feeds text/event-stream chunks in, calls `onEvent` for every complete event (comments, e.g.
 * heartbeats, are skipped). Handles \n, \r\n and \r line ends, and events split across chunks.
 */
export function createSseParser(onEvent: (event: SseEvent) => void): (chunk: string) => void {
  let buffer = '';
  let id: string | undefined;
  let event = '';
  let data: string[] = [];
  const line = (text: string) => {
    if (text === '') {
      if (data.length) onEvent({ id, event: event || 'message', data: data.join('\n') });
      id = undefined;
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return;
    const colon = text.indexOf(':');
    const field = colon < 0 ? text : text.slice(0, colon);
    const value = colon < 0 ? '' : text.slice(colon + 1).replace(/^ /, '');
    if (field === 'id') id = value;
    else if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  // A chunk that ended in \r: a \n starting the next one belongs to that line end.
  let afterCr = false;
  return (chunk) => {
    buffer += afterCr && chunk.startsWith('\n') ? chunk.slice(1) : chunk;
    afterCr = false;
    for (;;) {
      const match = /\r\n|\r|\n/.exec(buffer);
      if (!match) return;
      line(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
      if (match[0] === '\r' && buffer === '') afterCr = true;
    }
  };
}
