/**
 * The API names fields as its JSON does (`storage_id`, `access_key`, `retry.attempts`) and words
 * its messages for developers ("dbname should not be empty"). The console shows them under
 * inputs labelled for people: this turns one into the other, for every form at once.
 */

/** What the console's forms call each API field (a restore's `target_` fields are the same). */
export const FIELD_LABELS: Record<string, string> = {
  name: 'Name',
  host: 'Host',
  port: 'Port',
  dbname: 'Database name',
  user: 'Username',
  username: 'Username',
  password: 'Password',
  sslmode: 'SSL mode',
  storage_id: 'Storage',
  notification_id: 'Notification',
  schedule: 'Schedule',
  timezone: 'Time zone',
  enabled: 'Enabled',
  provider: 'Provider',
  bucket: 'Bucket',
  region: 'Region',
  endpoint: 'Endpoint',
  access_key: 'Access key ID',
  secret_key: 'Secret access key',
  path_prefix: 'Path prefix',
  force_path_style: 'Path-style addressing',
  discord_webhook_url: 'Discord webhook URL',
  discord_user_id: 'Discord user ID',
  discord_delivery: 'Discord delivery',
  on_success: 'On success',
  on_failure: 'On failure',
  encryption_recipients: 'Encryption recipients',
  include_schemas: 'Only these schemas',
  exclude_schemas: 'Not these schemas',
  include_tables: 'Only these tables',
  exclude_tables: 'Not these tables',
  max_age_hours: 'Maximum age',
  'rotation_policy.type': 'Retention',
  'rotation_policy.value': 'Keep',
  'rotation_policy.min_keep': 'Always keep',
  'rotation_policy.hourly': 'Hourly',
  'rotation_policy.daily': 'Daily',
  'rotation_policy.weekly': 'Weekly',
  'rotation_policy.monthly': 'Monthly',
  'rotation_policy.yearly': 'Yearly',
  'retry.attempts': 'Retry attempts',
  'retry.delay_seconds': 'Delay between attempts',
  'compression.algorithm': 'Compression',
  'compression.level': 'Compression level',
  email: 'Email',
  display_name: 'Display name',
  role: 'Role',
  expires_at: 'Expires',
  code: 'Code',
  otp: 'Code',
  confirmation_code: 'Confirmation code',
};

const PROVIDERS: Record<string, string> = { s3: 'Amazon S3', r2: 'Cloudflare R2', minio: 'MinIO', local: 'local disk' };

/** The label of `field` (its own, a restore target's, or its last part in words). */
export function labelOf(field: string): string {
  const own = FIELD_LABELS[field] ?? FIELD_LABELS[field.replace(/^target_/, '')];
  if (own) return own;
  const last = field.split('.').pop() ?? field;
  const words = last.replace(/_id$/, '').replaceAll('_', ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

const sentence = (text: string) => {
  const trimmed = text.trim();
  const capital = trimmed.charAt(0).toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
};

/** Rules from class-validator's and the API's own phrasing to a sentence about the labelled input. */
const RULES: { pattern: RegExp; words: (label: string, match: RegExpMatchArray) => string }[] = [
  { pattern: /^(should not be empty|must be a string|is required)$/, words: (l) => `${l} is required.` },
  { pattern: /^must be a UUID$/, words: (l) => `Choose a ${l.toLowerCase()}.` },
  { pattern: /^names no (\w+) of this tenant$/, words: (_, m) => `That ${m[1]} no longer exists: choose another.` },
  { pattern: /^is required for (\w+)$/, words: (l, m) => `${l} is required for ${PROVIDERS[m[1]] ?? m[1]}.` },
  { pattern: /^is not used by local storage.*$/, words: (l) => `${l} is not used by local storage: leave it empty.` },
  { pattern: /^must not be greater than (-?[\d.]+)$/, words: (l, m) => `${l} must be ${m[1]} or less.` },
  { pattern: /^must not be less than (-?[\d.]+)$/, words: (l, m) => `${l} must be ${m[1]} or more.` },
  { pattern: /^must be an integer number$/, words: (l) => `${l} must be a whole number.` },
  { pattern: /^must be a number conforming to the specified constraints$/, words: (l) => `${l} must be a number.` },
  {
    pattern: /^must be longer than or equal to (\d+) characters$/,
    words: (l, m) => `${l} needs at least ${m[1]} characters.`,
  },
  {
    pattern: /^must be shorter than or equal to (\d+) characters$/,
    words: (l, m) => `${l} can have at most ${m[1]} characters.`,
  },
  { pattern: /^must be one of the following values: (.+)$/, words: (l, m) => `${l} must be one of: ${m[1]}.` },
  {
    pattern: /^must be a Discord webhook URL$/,
    words: (l) => `${l} must be a webhook URL copied from Discord (https://discord.com/api/webhooks/…).`,
  },
  { pattern: /^must be a boolean value$/, words: (l) => `${l} must be on or off.` },
  { pattern: /^must be an array$/, words: (l) => `${l} must be a list.` },
];

/**
 * The API's `message` about `field` in words for the form: the field's own name at its start
 * becomes the input's label ("dbname should not be empty" → "Database name is required.").
 */
export function inWords(field: string, message: string): string {
  const label = labelOf(field);
  const names = [field, field.split('.').pop() ?? field].map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  const rest = message.replace(new RegExp(`^(?:${names.join('|')})\\s+`), '');
  if (rest === message) return sentence(message);
  for (const rule of RULES) {
    const match = rest.match(rule.pattern);
    if (match) return rule.words(label, match);
  }
  return sentence(`${label} ${rest}`);
}
