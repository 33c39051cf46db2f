import {
  Body,
  Controller,
  Delete,
  Get,
  Header,
  HttpCode,
  HttpStatus,
  Post,
  Query,
  StreamableFile,
} from '@nestjs/common';
import { ApiAcceptedResponse, ApiCreatedResponse, ApiNoContentResponse, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import { Auth, ReqMeta, type AuthContext, type RequestMeta } from '../../common/auth/auth-context';
import { Endpoint } from '../../common/decorators/endpoint.decorator';
import { IdParam } from '../../common/pipes/id-param';
import { BackupsService } from './backups.service';
import {
  BackupDto,
  BackupListQueryDto,
  BackupPageDto,
  DatabaseRestoreListQueryDto,
  RestoreDto,
  RestoreListQueryDto,
  RestorePageDto,
  RestoreRequestDto,
  TenantBackupListQueryDto,
  TenantBackupPageDto,
  VerifyResultDto,
} from './dto/backup.dto';
import { DownloadFileQueryDto, DownloadLinkDto } from './dto/download-link.dto';
import { DOWNLOAD_ROLE } from './download-links';

@ApiTags('backups')
@Controller()
export class BackupsController {
  constructor(private readonly backups: BackupsService) {}

  @Post('databases/:id/backup')
  @HttpCode(HttpStatus.ACCEPTED)
  @Endpoint({
    summary: 'Start a backup now',
    description:
      'Answers 202 with the backup in `pending`; follow it with `GET /backups/{id}` (`status`, `bytes_processed`). pg_dump of the server’s major (or the lowest newer one) streams through SHA-256 and, when the database has encryption recipients, age, into the storage.',
    role: 'operator',
    errors: [400, 404],
  })
  @ApiAcceptedResponse({ type: BackupDto })
  startBackup(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta) {
    return this.backups.start(auth, id, meta);
  }

  @Get('databases/:id/backups')
  @Endpoint({ summary: "A database's backup history, newest first", errors: [400, 404] })
  @ApiOkResponse({ type: BackupPageDto })
  listBackups(@Auth() auth: AuthContext, @IdParam() id: string, @Query() query: BackupListQueryDto) {
    return this.backups.listForDatabase(auth, id, query);
  }

  // Declared before `backups/:id` (a different path all the same: no id segment).
  @Get('backups')
  @Endpoint({
    summary: "The tenant's backups of all its databases, newest first",
    description:
      "Each with `database_name`. Narrowed by `database_id`, `status`, `trigger`, `from`/`to` (on `created_at`, both included) and `search` (a substring of the backup's or its database's name, any case); given together, all must hold. Another tenant's backups are never listed.",
    errors: [400],
  })
  @ApiOkResponse({ type: TenantBackupPageDto })
  listTenantBackups(@Auth() auth: AuthContext, @Query() query: TenantBackupListQueryDto) {
    return this.backups.listForTenant(auth, query);
  }

  @Get('backups/:id')
  @Endpoint({ summary: 'One backup, with live progress while it runs', errors: [400, 404] })
  @ApiOkResponse({ type: BackupDto })
  getBackup(@Auth() auth: AuthContext, @IdParam() id: string) {
    return this.backups.get(auth, id);
  }

  @Get('backups/:id/download')
  @Endpoint({
    summary: 'Download the stored object',
    description:
      'Streams the object exactly as stored: a pg_dump custom-format archive, or its age encryption (`.age`) when the backup is encrypted.',
    role: DOWNLOAD_ROLE,
    errors: [400, 404, 409, 502],
  })
  // The object on success; errors stay JSON in the common shape (documented by @Endpoint).
  @ApiOkResponse({
    description: 'The stored object.',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  downloadBackup(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @ReqMeta() meta: RequestMeta,
  ): Promise<StreamableFile> {
    return this.backups.download(auth, id, meta);
  }

  @Post('backups/:id/download-link')
  @Endpoint({
    summary: 'A short-lived link to download the stored object',
    description:
      'For browsers and tools that cannot send an Authorization header: `url` (`GET /backups/{id}/file?token=…`) streams the same object as `GET /backups/{id}/download`, without credentials, until `expires_at` (`DOWNLOAD_LINK_EXPIRATION_SECONDS`, 300 by default). The link is good for this backup only, and for its caller as they are when it is used: removed from the tenant, demoted below operator, or with the API token that asked for it revoked, it is refused.',
    role: DOWNLOAD_ROLE,
    errors: [400, 404, 409],
  })
  @Header('Cache-Control', 'no-store')
  @ApiCreatedResponse({ type: DownloadLinkDto })
  createDownloadLink(@Auth() auth: AuthContext, @IdParam() id: string): Promise<DownloadLinkDto> {
    return this.backups.downloadLink(auth, id);
  }

  @Get('backups/:id/file')
  @Endpoint({
    summary: 'Download the stored object by a download link',
    description:
      'The `url` of `POST /backups/{id}/download-link`: the same stream as `GET /backups/{id}/download` (with `Content-Length` and `Content-Disposition`), recorded in the activity log for the user who asked for the link. No Authorization header: the `token` is the credential. An expired, altered or malformed token is a 401, a token for another backup or a caller who may no longer download a 403 (`DOWNLOAD_LINK_INVALID`). The token never appears in the logs.',
    public: true,
    errors: [400, 401, 403, 404, 409, 502],
  })
  @Header('Cache-Control', 'private, no-store')
  @ApiOkResponse({
    description: 'The stored object.',
    content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } },
  })
  downloadByLink(
    @IdParam() id: string,
    @Query() query: DownloadFileQueryDto,
    @ReqMeta() meta: RequestMeta,
  ): Promise<StreamableFile> {
    return this.backups.downloadByLink(id, query.token, meta);
  }

  @Post('backups/:id/verify')
  @HttpCode(HttpStatus.OK)
  @Endpoint({
    summary: 'Check a backup can be restored',
    description:
      'Re-reads the object from storage, decrypts it when encrypted, compares both SHA-256 digests with the recorded ones and lists the archive with pg_restore. Answers 200 either way; `ok` says the outcome.',
    role: 'operator',
    errors: [400, 404, 409],
  })
  @ApiOkResponse({ type: VerifyResultDto })
  verifyBackup(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta) {
    return this.backups.verify(auth, id, meta);
  }

  @Delete('backups/:id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @Endpoint({
    summary: 'Delete a backup: its object, its sidecar and its record',
    description: 'Refused while it runs or is being restored; when the storage refuses, nothing is removed.',
    role: 'admin',
    errors: [400, 404, 409, 502],
  })
  @ApiNoContentResponse({ description: 'Deleted.' })
  deleteBackup(@Auth() auth: AuthContext, @IdParam() id: string, @ReqMeta() meta: RequestMeta): Promise<void> {
    return this.backups.delete(auth, id, meta);
  }

  @Post('backups/:id/restore')
  @HttpCode(HttpStatus.ACCEPTED)
  @Endpoint({
    summary: 'Restore a backup',
    description:
      'Into the source database, or into the database the `target_*` fields name. The archive is fetched, decrypted and checked against both SHA-256 digests before pg_restore (with --exit-on-error) touches the target, and a failure never leaves a mix: a `clean` restore of the whole backup into an existing database runs into a fresh copy that then takes its name (`strategy: swap`, the previous database kept as `kept_database`), any other restore into an existing database in one transaction (`single_transaction`), one into a database it creates (`create`) straight in, dropping it again on failure (`direct`). Every name in `schemas` and `tables` is checked against the backup first: 400 `NOT_IN_BACKUP` names the missing ones. Follow it with `GET /restores/{id}`: it ends `success` or `failed`.',
    role: 'admin',
    errors: [400, 404, 409, 502],
  })
  @ApiAcceptedResponse({ type: RestoreDto })
  restoreBackup(
    @Auth() auth: AuthContext,
    @IdParam() id: string,
    @Body() input: RestoreRequestDto,
    @ReqMeta() meta: RequestMeta,
  ) {
    return this.backups.restore(auth, id, input, meta);
  }

  @Get('databases/:id/restores')
  @Endpoint({
    summary: "A database's restore history, newest first",
    description: 'Every restore of its backups, into the source or elsewhere; `status` filters by state.',
    errors: [400, 404],
  })
  @ApiOkResponse({ type: RestorePageDto })
  listDatabaseRestores(@Auth() auth: AuthContext, @IdParam() id: string, @Query() query: DatabaseRestoreListQueryDto) {
    return this.backups.listRestores(auth, query, id);
  }

  @Get('restores')
  @Endpoint({
    summary: "The tenant's restores, newest first",
    description: 'Filtered by `status`, `database_id` or `backup_id`; ids of another tenant find nothing.',
    errors: [400],
  })
  @ApiOkResponse({ type: RestorePageDto })
  listRestores(@Auth() auth: AuthContext, @Query() query: RestoreListQueryDto) {
    return this.backups.listRestores(auth, query);
  }

  @Get('restores/:id')
  @Endpoint({ summary: 'One restore and how it ended', errors: [400, 404] })
  @ApiOkResponse({ type: RestoreDto })
  getRestore(@Auth() auth: AuthContext, @IdParam() id: string) {
    return this.backups.getRestore(auth, id);
  }
}
