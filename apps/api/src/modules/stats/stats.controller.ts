import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { StatsDto, StatsQueryDto } from './dto/stats.dto';
import { StatsService } from './stats.service';

@ApiTags('stats')
@Controller('stats')
export class StatsController {
  constructor(private readonly stats: StatsService) {}

  @Get()
  @Endpoint({
    summary: 'Counters of the current tenant: databases, recent backups, stored bytes and protection',
    description:
      'The `*_24h` counters cover backups created in the 24 hours before the request (by `created_at`, when the backup was scheduled or started by hand): `total_backups_24h` counts all of them, pending and running included, and `successful_backups_24h` and `failed_backups_24h` those of them that have ended so. `total_storage_bytes` sums the stored size (`size_bytes`) of every successful backup still kept, of any age. The counters, `success_rate_7d`, `storages` and `daily` read one consistent snapshot. `databases` gives each database’s protection (docs/operations.md, "Is it protected?"). The instance admin may pass `tenant=all` to count every tenant; anyone else passing it gets 403.',
    errors: [400],
  })
  @ApiOkResponse({ type: StatsDto })
  getStats(@Auth() auth: AuthContext, @Query() query: StatsQueryDto): Promise<StatsDto> {
    return this.stats.get(auth, query);
  }
}
