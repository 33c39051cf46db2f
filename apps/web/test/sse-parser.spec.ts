import { createSseParser, type SseEvent } from '../src/lib/events/sse-parser';

// The console's reader of GET /api/v1/events (fetch streams it in arbitrary chunks).
describe('the SSE parser', () => {
  const parse = (chunks: string[]) => {
    const events: SseEvent[] = [];
    const feed = createSseParser((event) => events.push(event));
    for (const chunk of chunks) feed(chunk);
    return events;
  };

  it('reads id, event and data, skipping comments and the retry field', () => {
    expect(
      parse(['retry: 3000\n\n: heartbeat\n\nid: a-1\nevent: backup.created\ndata: {"backup_id":"b"}\n\n']),
    ).toEqual([{ id: 'a-1', event: 'backup.created', data: '{"backup_id":"b"}' }]);
  });

  it('joins events split across chunks, whatever the line ends', () => {
    const stream = 'id: a-2\r\nevent: backup.progress\r\ndata: {"rate":1}\r\n\r\nevent: ready\rdata: {}\r\r';
    const whole = parse([stream]);
    expect(whole).toEqual([
      { id: 'a-2', event: 'backup.progress', data: '{"rate":1}' },
      { id: undefined, event: 'ready', data: '{}' },
    ]);
    expect(parse(stream.split(''))).toEqual(whole);
  });

  it('calls an event without an event field "message" and joins data lines', () => {
    expect(parse(['data: one\ndata: two\n\n'])).toEqual([{ id: undefined, event: 'message', data: 'one\ntwo' }]);
  });
});
