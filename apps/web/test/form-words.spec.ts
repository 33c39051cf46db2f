import { formError, fieldError } from '../src/lib/api/errors';
import { inWords, labelOf } from '../src/lib/api/field-words';
import { parseConnectionString } from '../src/lib/connection-string';

// Issue 15: the API's field errors are shown in the form's words, under the field's label.
describe('field errors in words', () => {
  it.each([
    ['dbname', 'dbname should not be empty', 'Database name is required.'],
    ['storage_id', 'storage_id must be a UUID', 'Choose a storage.'],
    ['access_key', 'access_key is required for s3', 'Access key ID is required for Amazon S3.'],
    ['bucket', 'bucket is required for r2', 'Bucket is required for Cloudflare R2.'],
    ['port', 'port must not be greater than 65535', 'Port must be 65535 or less.'],
    ['target_port', 'target_port must not be less than 1', 'Port must be 1 or more.'],
    ['retry.attempts', 'attempts must not be greater than 10', 'Retry attempts must be 10 or less.'],
    [
      'notification_id',
      'notification_id names no notification of this tenant',
      'That notification no longer exists: choose another.',
    ],
    ['name', 'name must be shorter than or equal to 100 characters', 'Name can have at most 100 characters.'],
    [
      'compression.level',
      'gzip compression levels are 1 to 9 (default 6)',
      'Gzip compression levels are 1 to 9 (default 6).',
    ],
    [
      'confirmation_code',
      'confirmation_code is required: a current TOTP code or a recovery code',
      'Confirmation code is required: a current TOTP code or a recovery code.',
    ],
  ])('%s: "%s" → "%s"', (field, message, words) => {
    expect(inWords(field, message)).toBe(words);
  });

  it('labels a field it does not know from its name', () => {
    expect(labelOf('webhook_secret')).toBe('Webhook secret');
    expect(labelOf('rotation_policy.min_keep')).toBe('Always keep');
  });

  it('sums up several field errors above the form, and the API message otherwise', () => {
    const refused = {
      status: 400,
      code: 'VALIDATION_FAILED',
      message: 'Request validation failed',
      errors: [
        { field: 'host', message: 'host should not be empty' },
        { field: 'port', message: 'port must not be greater than 65535' },
      ],
    };
    expect(fieldError(refused, 'host')).toBe('Host is required.');
    expect(formError(refused, ['host', 'port'])).toBe('2 fields need a look: Host, Port.');
    expect(formError(refused, ['host'])).toBe('Host is required. Port must be 65535 or less.');
    expect(formError({ ...refused, errors: [] }, ['host'])).toBe('Request validation failed');
  });
});

describe('a pasted connection string', () => {
  it('fills host, port, database, user, password and sslmode', () => {
    expect(parseConnectionString('postgresql://backup:p%40ss%2Fw@db.example.com:6543/billing?sslmode=require')).toEqual(
      {
        host: 'db.example.com',
        port: 6543,
        dbname: 'billing',
        user: 'backup',
        password: 'p@ss/w',
        sslmode: 'require',
      },
    );
    expect(parseConnectionString('postgres://10.0.0.7/app')).toEqual({ host: '10.0.0.7', dbname: 'app' });
    expect(parseConnectionString('postgresql://[::1]:5433/x')).toEqual({ host: '::1', port: 5433, dbname: 'x' });
  });

  it('is not one when it is a host name or another scheme', () => {
    expect(parseConnectionString('db.example.com')).toBeNull();
    expect(parseConnectionString('mysql://u@h/db')).toBeNull();
    expect(parseConnectionString('postgresql://')).toBeNull();
  });
});
