import type { Request, Response } from 'express';
import type { Observable } from 'rxjs';

/** One message of an SSE stream: an event (with an id when it can be resumed after), or a comment. */
export type SseMessage = { id?: string; event: string; data: unknown } | { comment: string };

/** How long a client waits before reconnecting after the stream ends (the SSE `retry:` field). */
const CLIENT_RETRY_MS = 3_000;

/** One message in the text/event-stream format. */
export function formatSse(message: SseMessage): string {
  if ('comment' in message) return `: ${message.comment.replace(/[\r\n]+/g, ' ')}\n\n`;
  const lines: string[] = [];
  if (message.id !== undefined) lines.push(`id: ${message.id}`);
  lines.push(`event: ${message.event}`);
  // JSON has no raw newlines: one data line.
  lines.push(`data: ${JSON.stringify(message.data)}`);
  return `${lines.join('\n')}\n\n`;
}

/**
 * Answers `request` with a server-sent event stream of `messages`, unbuffered (proxies are told
 * so by `X-Accel-Buffering: no`), until the client goes away or the messages end.
 */
export function streamSse(request: Request, response: Response, messages: Observable<SseMessage>): void {
  response.status(200);
  response.setHeader('Content-Type', 'text/event-stream; charset=utf-8');
  response.setHeader('Cache-Control', 'no-cache, no-transform');
  response.setHeader('X-Accel-Buffering', 'no');
  response.setHeader('Connection', 'keep-alive');
  response.flushHeaders();
  response.socket?.setNoDelay(true);
  response.write(`retry: ${CLIENT_RETRY_MS}\n\n`);
  const subscription = messages.subscribe({
    next: (message) => {
      if (!response.writableEnded) response.write(formatSse(message));
    },
    error: () => response.end(),
    complete: () => response.end(),
  });
  const stop = () => subscription.unsubscribe();
  request.once('close', stop);
  response.once('close', stop);
}
