import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { CheckResultDto } from '../../common/dto/check-result.dto';
import { PageQueryDto } from '../../common/pagination/page';
import { IdParam } from '../../common/pipes/id-param';
import { CreateStorageDto, StorageDto, StoragePageDto, UpdateStorageDto } from './dto/storage.dto';
import { StorageService } from './storage.service';

@ApiTags('storage')
@Controller('storage')
export class StorageController {
  constructor(private readonly storage: StorageService) {}

  @Post()
  @Endpoint({
    summary: 'Add a storage destination (S3, R2, MinIO or local)',
    description: 'Keys are stored encrypted; the secret key is never returned (`secret_key_set` instead).',
    role: 'admin',
    errors: [400, 409],
  })
  @ApiCreatedResponse({ type: StorageDto })
  createStorage(@Auth() auth: AuthContext, @Body() input: CreateStorageDto, @ReqMeta() meta: RequestMeta) {
    return this.storage.create(auth, input, meta);
  }

  @Get()
  @Endpoint({ summary: "The tenant's storage destinations", errors: [400] })
  @ApiOkResponse({ type: StoragePageDto })
  listStorage(@Auth() auth: AuthContext, @Query() query: PageQueryDto) {
    return this.storage.list(auth, query);
  }

  @Get(':id')
  @Endpoint({ summary: 'One storage destination', errors: [400, 404] })
  @ApiOkResponse({ type: StorageDto })
  getStorage(@Auth() auth: AuthContext, @IdParam() id: string) {
    return this.storage.get(auth, id);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change a storage destination',
    description: 'Omitted fields keep their value; a given key replaces the stored one.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: StorageDto })
  updateStorage(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: UpdateStorageDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.storage.update(auth, id, input, meta);
  }

  @Put(':id')
  @Endpoint({
    summary: 'Replace a storage destination',
    description:
      'The body is the whole resource, as for POST: omitted optional fields take their defaults. An omitted `secret_key` (or `access_key`) keeps the stored one, so clients need not resend secrets.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: StorageDto })
  replaceStorage(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: CreateStorageDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.storage.replace(auth, id, input, meta);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({
    summary: 'Remove a storage destination',
    description: 'Refused (409) while databases use it or backups are kept in it.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  deleteStorage(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta) {
    return this.storage.delete(auth, id, meta);
  }

  @Post('test')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Test storage settings before saving them',
    description:
      'The same probe as `POST /storage/{id}/test` (write, read back, delete an object) with settings not saved yet: the body of a create. Nothing is saved. Answers 200 either way; `ok` and `message` say what failed.',
    role: 'operator',
    errors: [400],
  })
  @ApiOkResponse({ type: CheckResultDto })
  testUnsavedStorage(@Auth() auth: AuthContext, @Body() body: CreateStorageDto, @ReqMeta() meta: RequestMeta) {
    return this.storage.testUnsaved(auth, body, meta);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Write, read and delete a probe object',
    description:
      'Answers 200 either way; `ok` and `message` say what failed, in words (credentials, missing bucket, network). An optional body of changes (as for PATCH) tests them on top of the saved settings without saving them: keys left out keep the saved ones.',
    role: 'operator',
    errors: [400, 404],
  })
  @ApiBody({
    type: UpdateStorageDto,
    required: false,
    description: 'Unsaved changes to test (none: the saved settings).',
  })
  @ApiOkResponse({ type: CheckResultDto })
  testStorage(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() changes: UpdateStorageDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.storage.test(auth, id, meta, changes);
  }
}
