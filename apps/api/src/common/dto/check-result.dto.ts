import { ApiProperty } from '@nestjs/swagger';

/** The answer of every `POST /{resource}/{id}/test`: whether it worked and, in words, what happened. */
export class CheckResultDto {
  @ApiProperty({ example: false }) ok: boolean;
  @ApiProperty({ example: 'Access denied: check the access key and secret key' }) message: string;
}
