import { Controller, Get, Query } from '@nestjs/common';
import { ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, type AuthContext } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { IdParam } from '../../common/pipes/id-param';
import { RetentionPreviewDto, RetentionPreviewQueryDto } from './dto/retention.dto';
import { RetentionService } from './retention.service';

@ApiTags('databases')
@Controller()
export class RetentionController {
  constructor(private readonly retention: RetentionService) {}

  @Get('databases/:id/retention-preview')
  @Endpoint({
    summary: 'What retention keeps and removes, and why',
    description:
      'Every backup of the database not yet deleted, newest first, with `keep` and the reasons: under the stored `rotation_policy`, or a proposed one given in the query (each field given replaces the stored one). The next retention run (after a successful backup, or the periodic one) removes exactly the backups listed with `keep: false`, unless a restore starts using one first. Removes nothing.',
    errors: [400, 404],
  })
  @ApiOkResponse({ type: RetentionPreviewDto })
  getRetentionPreview(@Auth() auth: AuthContext, @IdParam() id: string, @Query() query: RetentionPreviewQueryDto) {
    return this.retention.preview(auth, id, query);
  }
}
