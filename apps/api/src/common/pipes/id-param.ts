import { Param, ParseUUIDPipe } from '@nestjs/common';
import { ApiParam } from '@nestjs/swagger';
import { ValidationFailedException } from '../errors/api-exception';

/**
 * A `:id`-style path parameter that must be a UUID; otherwise a 400 naming it.
 * The OpenAPI document says so too (`format: uuid`).
 */
export function IdParam(name = 'id'): ParameterDecorator {
  const param = Param(
    name,
    new ParseUUIDPipe({
      exceptionFactory: () => new ValidationFailedException([{ field: name, message: `${name} must be a UUID` }]),
    }),
  );
  return (target, propertyKey, index) => {
    param(target, propertyKey, index);
    const descriptor = Object.getOwnPropertyDescriptor(target, propertyKey!)!;
    ApiParam({ name, type: String, format: 'uuid' })(target, propertyKey!, descriptor);
  };
}
