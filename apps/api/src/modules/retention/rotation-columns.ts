import type { Database, Prisma } from '../../generated/prisma/client';
import type { RotationPolicyDto } from '../databases/dto/database.dto';
import { GFS_PERIODS, type RetentionPolicy } from './retention-policy';

/** The columns a database's rotation_policy is stored in (null: keep everything). */
export function rotationColumns(policy: RotationPolicyDto | null | undefined) {
  return {
    rotationType: policy?.type ?? null,
    rotationValue: policy?.value ?? null,
    rotationHourly: policy?.hourly || null,
    rotationDaily: policy?.daily || null,
    rotationWeekly: policy?.weekly || null,
    rotationMonthly: policy?.monthly || null,
    rotationYearly: policy?.yearly || null,
    rotationMinKeep: policy?.min_keep ?? 1,
  } satisfies Prisma.DatabaseUncheckedUpdateInput;
}

type RotationRow = Pick<
  Database,
  | 'rotationType'
  | 'rotationValue'
  | 'rotationHourly'
  | 'rotationDaily'
  | 'rotationWeekly'
  | 'rotationMonthly'
  | 'rotationYearly'
  | 'rotationMinKeep'
>;

/** The stored policy as the API shows it: period counts only when set. */
export function rotationPolicyDto(row: RotationRow): RotationPolicyDto | null {
  if (!row.rotationType || !row.rotationValue) return null;
  const periods = {
    hourly: row.rotationHourly,
    daily: row.rotationDaily,
    weekly: row.rotationWeekly,
    monthly: row.rotationMonthly,
    yearly: row.rotationYearly,
  };
  return {
    type: row.rotationType,
    value: row.rotationValue,
    ...Object.fromEntries(GFS_PERIODS.filter((p) => periods[p]).map((p) => [p, periods[p]])),
    min_keep: row.rotationMinKeep,
  };
}

/** An API policy as the pure function takes it. */
export function toRetentionPolicy(policy: RotationPolicyDto | null): RetentionPolicy | null {
  if (!policy) return null;
  return {
    type: policy.type,
    value: policy.value,
    hourly: policy.hourly,
    daily: policy.daily,
    weekly: policy.weekly,
    monthly: policy.monthly,
    yearly: policy.yearly,
    minKeep: policy.min_keep,
  };
}
