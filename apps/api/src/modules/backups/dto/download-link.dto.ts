import { ApiProperty } from '@nestjs/swagger';
import { IsNotEmpty, IsString, Matches, MaxLength } from 'class-validator';

/** A signed token: three base64url parts. */
const TOKEN_PATTERN = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;

export class DownloadLinkDto {
  @ApiProperty({
    example:
      '/api/v1/backups/0b9c7a52-3d2f-4f7e-9a3b-6c1d2e3f4a5b/file?token=eyJhbGciOiJIUzI1NiJ9.eyJ0eXAiOiJkb3dubG9hZCJ9.c2ln',
    description:
      'Where the stored object can be fetched without an Authorization header (the token is the credential), until `expires_at`; relative to the API origin.',
  })
  url: string;

  @ApiProperty({ format: 'date-time' }) expires_at: string;
}

export class DownloadFileQueryDto {
  @ApiProperty({
    description: 'The token of a download link (POST /backups/{id}/download-link).',
    pattern: TOKEN_PATTERN.source,
    maxLength: 2048,
  })
  @IsString()
  @IsNotEmpty()
  @MaxLength(2048)
  @Matches(TOKEN_PATTERN, { message: 'token must be the token of a download link' })
  token: string;
}
