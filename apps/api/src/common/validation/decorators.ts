import { applyDecorators } from '@nestjs/common';
import {
  IsString,
  Matches,
  MaxLength,
  registerDecorator,
  ValidateIf,
  type ValidationArguments,
  type ValidationOptions,
} from 'class-validator';
import { CronTime, validateCronExpression } from 'cron';

/**
 * The field may be left out, but not sent as `null`: what follows it is checked for null too.
 * (class-validator's @IsOptional skips null as well; use it only where null means something,
 * and say so with `nullable: true` in the field's @ApiProperty.)
 */
export function IsOptionalNonNull(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}

/** A 6-digit TOTP code or a recovery code, either case (no regex flag: OpenAPI patterns have none). */
export const TOTP_OR_RECOVERY_CODE = /^(\d{6}|[a-zA-Z2-7]{5}-[a-zA-Z2-7]{5})$/;

/** Characters a name must not contain: controls, bidirectional overrides/isolates/marks, zero-width ones. */
const INVISIBLE = '\\u0000-\\u001F\\u007F-\\u009F\\u061C\\u200B-\\u200F\\u2028-\\u202E\\u2060-\\u2069\\uFEFF';
/** Something visible, and nothing that makes a name read differently from what it is. */
export const NAME_PATTERN = new RegExp(`^[^${INVISIBLE}]*[^\\s${INVISIBLE}][^${INVISIBLE}]*$`);

/** The OpenAPI constraints of a name field; pair with @IsName(). */
export const nameSchema = (maxLength = 100) => ({ minLength: 1, maxLength, pattern: NAME_PATTERN.source });

/** A human-chosen name (database, storage, token, tenant, display name): see NAME_PATTERN. */
export function IsName(maxLength = 100): PropertyDecorator {
  return applyDecorators(
    IsString(),
    MaxLength(maxLength),
    Matches(NAME_PATTERN, {
      message: '$property must not be blank or contain control, bidirectional-override or zero-width characters',
    }),
  );
}

/**
 * Time zones: the names of the tz database that ICU (Intl) knows, canonical or alias
 * (`Europe/Kyiv`, `US/Pacific`, `Etc/UTC`, `Etc/GMT+5`), spelled with their capitals: accepted when
 * Intl resolves the name to a zone of Intl.supportedValuesOf('timeZone') (or UTC, Etc/GMT±N). Links that tzdata has
 * dropped are refused although ICU still resolves them: they would silently mean another zone.
 */
export const TIME_ZONE_PATTERN = /^[A-Z][A-Za-z0-9_+-]*(?:\/[A-Z][A-Za-z0-9_+-]*)*$/;
const REMOVED_ZONES = /^(?:US\/Pacific-New|Canada\/East-Saskatchewan|SystemV\/.*)$/;
let canonicalZones: Set<string> | undefined;

export function isKnownTimeZone(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 64 || !TIME_ZONE_PATTERN.test(value) || REMOVED_ZONES.test(value)) {
    return false;
  }
  canonicalZones ??= new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
  try {
    const zone = new Intl.DateTimeFormat('en-US', { timeZone: value }).resolvedOptions().timeZone;
    // supportedValuesOf leaves out the fixed-offset Etc/GMT±N zones, which tzdata has.
    return canonicalZones.has(zone) || /^Etc\/GMT[+-]\d{1,2}$/.test(zone);
  } catch {
    return false;
  }
}

export function IsKnownTimeZone(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isKnownTimeZone',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: '$property must be a time zone of the tz database, e.g. Europe/Paris', ...options },
      validator: { validate: isKnownTimeZone },
    });
}

/** How many values each cron field has (minute, hour, day of month, month, day of week): the largest sane step. */
const FIELD_SPANS = [60, 24, 31, 12, 7];
const FIELD_NAMES = ['minute', 'hour', 'day-of-month', 'month', 'day-of-week'];
/** What OpenAPI can say of a schedule: five fields. */
export const CRON_PATTERN = /^\s*\S+(?:\s+\S+){4}\s*$/;

/** Six fields, seconds first: accepted only where allowSecondsField() said so (test mode). */
const CRON_PATTERN_WITH_SECONDS = /^\s*\S+(?:\s+\S+){5}\s*$/;
let secondsFieldAllowed = false;

/** Lets schedules carry a leading seconds field (SCHEDULE_ALLOW_SECONDS=true), so tests fire often. */
export function allowSecondsField(allowed: boolean): void {
  secondsFieldAllowed = allowed;
}

/** Why `value` is not a schedule that runs, or undefined when it is one. */
export function cronProblem(value: unknown): string | undefined {
  const example = 'a 5-field cron expression, e.g. "0 3 * * *"';
  if (typeof value !== 'string' || value.length > 100) return `must be ${example}`;
  const withSeconds = secondsFieldAllowed && CRON_PATTERN_WITH_SECONDS.test(value);
  if (!withSeconds && !CRON_PATTERN.test(value)) return `must be ${example}`;
  const fields = value.trim().split(/\s+/);
  const spans = withSeconds ? [60, ...FIELD_SPANS] : FIELD_SPANS;
  const names = withSeconds ? ['second', ...FIELD_NAMES] : FIELD_NAMES;
  for (const [index, field] of fields.entries()) {
    for (const step of field.matchAll(/\/([^,]*)/g)) {
      if (!/^\d{1,2}$/.test(step[1]) || Number(step[1]) < 1 || Number(step[1]) > spans[index]) {
        return `has a ${names[index]} step "/${step[1]}": steps go from 1 to ${spans[index]}`;
      }
    }
  }
  if (!validateCronExpression(value).valid) return `must be ${example}`;
  try {
    // The cron package finds the next run within a few years, or throws: `0 0 30 2 *` never runs.
    new CronTime(value, 'UTC').sendAt();
  } catch {
    return 'never fires (no such date, e.g. 30 February)';
  }
  return undefined;
}

export function IsCronSchedule(options?: ValidationOptions): PropertyDecorator {
  return (target, propertyName) =>
    registerDecorator({
      name: 'isCronSchedule',
      target: target.constructor,
      propertyName: propertyName as string,
      options: { message: (args: ValidationArguments) => `${args.property} ${cronProblem(args.value)}`, ...options },
      validator: { validate: (value: unknown) => cronProblem(value) === undefined },
    });
}
