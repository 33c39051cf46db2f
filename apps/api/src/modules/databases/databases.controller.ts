import { Body, Controller, Delete, Get, HttpCode, HttpStatus, Patch, Post, Put, Query } from '@nestjs/common';
import { ApiBody, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { PageQueryDto } from '../../common/pagination/page';
import { IdParam } from '../../common/pipes/id-param';
import {
  CreateDatabaseDto,
  DatabaseCheckDto,
  DatabaseDto,
  DatabasePageDto,
  TestDatabaseChangesDto,
  TestDatabaseDto,
  UpdateDatabaseDto,
} from './dto/database.dto';
import { DatabasesService } from './databases.service';

@ApiTags('databases')
@Controller('databases')
export class DatabasesController {
  constructor(private readonly databases: DatabasesService) {}

  @Post()
  @Endpoint({
    summary: 'Add a PostgreSQL database to back up',
    description: 'The password is stored encrypted and never returned (`password_set` instead).',
    role: 'admin',
    errors: [400, 409],
  })
  @ApiCreatedResponse({ type: DatabaseDto })
  createDatabase(@Auth() auth: AuthContext, @Body() input: CreateDatabaseDto, @ReqMeta() meta: RequestMeta) {
    return this.databases.create(auth, input, meta);
  }

  @Get()
  @Endpoint({ summary: "The tenant's databases", errors: [400] })
  @ApiOkResponse({ type: DatabasePageDto })
  listDatabases(@Auth() auth: AuthContext, @Query() query: PageQueryDto) {
    return this.databases.list(auth, query);
  }

  @Get(':id')
  @Endpoint({ summary: 'One database', errors: [400, 404] })
  @ApiOkResponse({ type: DatabaseDto })
  getDatabase(@Auth() auth: AuthContext, @IdParam() id: string) {
    return this.databases.get(auth, id);
  }

  @Patch(':id')
  @Endpoint({
    summary: 'Change a database',
    description: 'Omitted fields keep their value; a given `password` replaces the stored one, `null` removes it.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: DatabaseDto })
  updateDatabase(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: UpdateDatabaseDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.databases.update(auth, id, input, meta);
  }

  @Put(':id')
  @Endpoint({
    summary: 'Replace a database',
    description:
      'The body is the whole resource, as for POST: omitted optional fields take their defaults. An omitted `password` keeps the stored one (`null` removes it), so clients need not resend it.',
    role: 'admin',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: DatabaseDto })
  replaceDatabase(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: CreateDatabaseDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.databases.replace(auth, id, input, meta);
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({
    summary: 'Remove a database and its backup history',
    description: 'Backup records go with it; dump objects already in storage are left in place.',
    role: 'admin',
    errors: [400, 404],
  })
  @ApiNoContentResponse({ description: 'Removed.' })
  deleteDatabase(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta) {
    return this.databases.delete(auth, id, meta);
  }

  @Post('test')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Test connection settings before saving them',
    description:
      'The same check as `POST /databases/{id}/test` for settings not saved yet (a form’s Test before Add): connects, reads the server version, and says which pg_dump and compression a backup would use. Nothing is saved. Answers 200 either way.',
    role: 'operator',
    errors: [400],
  })
  @ApiOkResponse({ type: DatabaseCheckDto })
  testUnsavedDatabase(@Auth() auth: AuthContext, @Body() body: TestDatabaseDto, @ReqMeta() meta: RequestMeta) {
    return this.databases.checkUnsaved(auth, body, meta);
  }

  @Post(':id/test')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Connect and report the server version and the pg_dump that would run',
    description:
      'Answers 200 either way; `ok` and `message` say what happened, or why no backup could run (e.g. the client package to install, or a compression its pg_dump cannot write). An optional body of unsaved changes (host, port, dbname, user, password, sslmode, compression) is tested on top of the saved settings without saving them; the saved password is used unless one is given.',
    role: 'operator',
    errors: [400, 404],
  })
  @ApiBody({
    type: TestDatabaseChangesDto,
    required: false,
    description: 'Unsaved changes to test (none: the saved settings).',
  })
  @ApiOkResponse({ type: DatabaseCheckDto })
  testDatabase(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() changes: TestDatabaseChangesDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.databases.check(auth, id, meta, changes);
  }
}
