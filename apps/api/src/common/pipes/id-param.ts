import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ValidationFailedException } from '../errors/api-exception';

/** A `:id`-style path parameter that must be a UUID; otherwise a 400 naming it. */
export function IdParam(name = 'id'): ParameterDecorator {
  return Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new ValidationFailedException([{ field: name, message: `${name} must be a UUID` }]),
    }),
  );
}
