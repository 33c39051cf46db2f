import { Controller, Get, Headers, Req, Res } from '@nestjs/common';
import { ApiHeader, ApiOkResponse, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { Auth, type AuthContext } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { streamSse } from '../../common/http/sse';
import { EventHub, HEARTBEAT_MS, REPLAY_BUFFER_SIZE } from './event-hub';

const DESCRIPTION = `Server-sent events (\`text/event-stream\`) of the current tenant, live: only its own events.

Events (\`data\` is JSON, without the tenant):
- \`backup.created\` {backup_id, database_id, name, status, trigger, attempt, retry_of_id}
- \`backup.started\` {backup_id, database_id, name, attempt} when a worker begins it (pending → running), before any byte is dumped
- \`backup.progress\` {backup_id, database_id, bytes_processed, rate} (rate in bytes/s), about once a second while a backup runs
- \`backup.finished\` {backup_id, database_id, name, status, size_bytes, duration_ms, error_message}
- \`restore.created\` {restore_id, backup_id, database_id, status}
- \`restore.finished\` {restore_id, backup_id, database_id, status, duration_ms, error_message}
- \`database.protection\` {database_id, name, protection, previous}
- \`ready\` {} once the stream is open (its id is where a reconnect resumes from)
- \`reset\` {reason}: events may have been missed; refetch what is shown.

Every event has an \`id\` (\`<epoch>-<n>\`, n counting the tenant's own events). Reconnect with the header
\`Last-Event-ID\`: the process that served it replays what came after (it keeps the last ${REPLAY_BUFFER_SIZE});
an id it does not know (another process's, too old, or from before it lost events) gets \`reset\`. A comment line is sent every ${HEARTBEAT_MS / 1000} s. Proxies must not buffer this route.`;

@ApiTags('events')
@Controller('events')
export class EventsController {
  constructor(private readonly hub: EventHub) {}

  @Get()
  @Endpoint({ summary: "The tenant's live events (server-sent events)", description: DESCRIPTION })
  @ApiProduces('text/event-stream')
  @ApiHeader({ name: 'Last-Event-ID', required: false, description: 'The id of the last event received' })
  @ApiOkResponse({
    description: 'An endless `text/event-stream`',
    content: { 'text/event-stream': { schema: { type: 'string' } } },
  })
  streamEvents(
    @Auth() auth: AuthContext,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): void {
    streamSse(request, response, this.hub.stream(auth.tenantId, lastEventId));
  }
}
