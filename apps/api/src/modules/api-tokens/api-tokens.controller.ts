import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Post, Query } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { PageQueryDto } from '../../common/pagination/page';
import { IdParam } from '../../common/pipes/id-param';
import { ApiTokensService } from './api-tokens.service';
import { ApiTokenPageDto, CreateApiTokenDto, CreatedApiTokenDto } from './dto/api-token.dto';

@ApiTags('api-tokens')
@Controller('api-tokens')
export class ApiTokensController {
  constructor(private readonly tokens: ApiTokensService) {}

  @Post()
  @Endpoint({
    summary: 'Create an API token for CI scripts',
    description:
      'The secret is in the answer once; only its hash is stored. Use it as `Authorization: Bearer <token>`. A token cannot create tokens: they would outlive it.',
    role: 'admin',
    sessionOnly: true,
    errors: [400],
  })
  @ApiCreatedResponse({ type: CreatedApiTokenDto })
  createApiToken(
    @Auth() auth: AuthContext,
    @Body() input: CreateApiTokenDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<CreatedApiTokenDto> {
    return this.tokens.create(auth, input, meta);
  }

  @Get()
  @Endpoint({ summary: "The current tenant's API tokens (never their secrets)", role: 'admin', errors: [400] })
  @ApiOkResponse({ type: ApiTokenPageDto })
  listApiTokens(@Auth() auth: AuthContext, @Query() query: PageQueryDto) {
    return this.tokens.list(auth, query);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({ summary: 'Revoke an API token, effective immediately', role: 'admin', errors: [400, 404] })
  @ApiNoContentResponse({ description: 'Revoked.' })
  revokeApiToken(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    return this.tokens.revoke(auth, id, meta);
  }
}
