import { ApiProperty } from '@nestjs/swagger';

export class FieldErrorDto {
  @ApiProperty({ example: 'username', description: 'Path of the offending input field (dots for nesting).' })
  field: string;

  @ApiProperty({ example: 'username must be a string' })
  message: string;
}

/** The one JSON shape of every error the API returns. */
export class ErrorResponseDto {
  @ApiProperty({ example: 400, description: 'HTTP status code, repeated in the body.' })
  status: number;

  @ApiProperty({ example: 'VALIDATION_FAILED', description: 'Stable machine-readable error code.' })
  code: string;

  @ApiProperty({ example: 'Request validation failed' })
  message: string;

  @ApiProperty({ type: [FieldErrorDto], description: 'Per-field problems; empty when the error is not about input.' })
  errors: FieldErrorDto[];
}
