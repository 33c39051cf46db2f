import { startPostgres, type RunningPostgres } from '@dumpstation/testing';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmod, mkdir, mkdtemp, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { bearer } from '../helpers/auth';
import {
  backUp,
  databaseFields,
  restore,
  restoreTarget,
  SEED_SQL,
  seededDatabase,
  sql,
  tableContents,
} from '../helpers/engine';
import { createBucket, readObject, s3Settings } from '../helpers/s3';
import { startSignedIn, type SignedInApp } from '../helpers/signed-in';

const run = promisify(execFile);
const PG15 = '/usr/lib/postgresql/15/bin';
const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

// Roles belong to the cluster, so pg_dump leaves them out: each backup also stores
// `pg_dumpall --roles-only` beside the dump, the sidecar says how to use it with standard tools,
// and a restore with create_roles creates the roles a fresh server lacks (issue 11, findings 6, 10).
describe('roles beside each backup', () => {
  let app: SignedInApp;
  let source: RunningPostgres; // the cluster with the roles (15)
  let fresh: RunningPostgres; // a server without them, restored into through the API (14)
  let byHand: RunningPostgres; // a server without them, restored into with the standard tools (13)
  let bucket: string;
  let work: string;
  let shop: { url: string; dbname: string };
  let userIdentityFile: string;
  let userRecipient: string;
  const backups: Record<string, Record<string, unknown>> = {};
  const auth = () => bearer(app.root.access_token);
  const sidecarOf = async (backup: Record<string, unknown>) =>
    JSON.parse(
      (await readObject(bucket, (backup.object_key as string).replace(/\.dump(\.age)?$/, '.json'))).toString(),
    ) as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  const toolEnv = (pg: RunningPostgres) => ({
    PATH: `${PG15}:${process.env.PATH}`,
    PGHOST: pg.host,
    PGPORT: String(pg.port),
    PGUSER: pg.user,
    PGPASSWORD: pg.password,
  });
  /** Runs a sidecar command line as written, `<target>` and `<identity-file>` filled in, in the download folder. */
  const runAsWritten = (line: string, pg: RunningPostgres, target: string) =>
    run('sh', ['-c', line.replaceAll('<target>', target).replaceAll('<identity-file>', userIdentityFile)], {
      cwd: work,
      env: toolEnv(pg),
    });
  const download = async (key: string) => writeFile(join(work, key.split('/').pop()!), await readObject(bucket, key));

  beforeAll(async () => {
    // A PostgreSQL 14 client folder whose pg_dumpall fails as one on an old server does for a
    // user who may not read pg_authid (pg_dump and pg_restore are 15's, as everywhere here).
    const bins = await mkdtemp(join(tmpdir(), 'dumpstation-bins-'));
    await mkdir(join(bins, '15', 'bin'), { recursive: true });
    await mkdir(join(bins, '14', 'bin'), { recursive: true });
    for (const tool of ['pg_dump', 'pg_dumpall', 'pg_restore']) {
      await symlink(join(PG15, tool), join(bins, '15', 'bin', tool));
    }
    await symlink(join(PG15, 'pg_dump'), join(bins, '14', 'bin', 'pg_dump'));
    await writeFile(
      join(bins, '14', 'bin', 'pg_dumpall'),
      '#!/bin/sh\necho "pg_dumpall: error: query failed: ERROR:  permission denied for table pg_authid" >&2\nexit 1\n',
    );
    await chmod(join(bins, '14', 'bin', 'pg_dumpall'), 0o755);
    [app, source, fresh, byHand, bucket, work] = await Promise.all([
      startSignedIn({ PG_BIN_DIR_TEMPLATE: join(bins, '{major}', 'bin') }),
      startPostgres({ major: 15 }),
      startPostgres({ major: 14 }),
      startPostgres({ major: 13 }),
      createBucket('roles'),
      mkdtemp(join(tmpdir(), 'dumpstation-roles-')),
    ]);

    const userIdentity = await generateX25519Identity();
    userRecipient = await identityToRecipient(userIdentity);
    userIdentityFile = join(work, 'me.key');
    await writeFile(userIdentityFile, `${userIdentity}\n`, { mode: 0o600 });

    await sql(
      source.adminUrl,
      `CREATE ROLE app_owner NOLOGIN;
       CREATE ROLE readers NOLOGIN;
       CREATE ROLE analyst LOGIN PASSWORD 'analyst-pw' CONNECTION LIMIT 5;
       GRANT readers TO analyst WITH ADMIN OPTION;
       CREATE ROLE ops_admin SUPERUSER LOGIN;
       CREATE ROLE backup_user LOGIN PASSWORD 'backup-pw';`,
    );
    // A name pg_dumpall must take as one value (it expands a database name with `=` as conninfo).
    const shopName = "shop=roles'";
    await source.createDatabase(shopName);
    shop = { url: source.urlFor(shopName), dbname: shopName };
    // The seed, then privileges and an owner that name the roles.
    await sql(shop.url, SEED_SQL);
    await sql(
      shop.url,
      `GRANT SELECT ON customers TO analyst;
       GRANT SELECT ON ALL TABLES IN SCHEMA public TO readers;
       GRANT USAGE ON SCHEMA audit TO readers;
       ALTER TABLE audit.events OWNER TO app_owner;
       GRANT USAGE ON SCHEMA audit TO backup_user;
       GRANT SELECT ON ALL TABLES IN SCHEMA public, audit TO backup_user;
       GRANT SELECT ON ALL SEQUENCES IN SCHEMA public TO backup_user;`,
    );
    const roleless = await seededDatabase(fresh);

    const storage = await app
      .http()
      .post('/api/v1/storage')
      .set(auth())
      .send({ name: 's3', ...s3Settings(bucket) })
      .expect(201);
    const add = async (name: string, fields: Record<string, unknown>) =>
      (
        await app
          .http()
          .post('/api/v1/databases')
          .set(auth())
          .send({ name, storage_id: storage.body.id, ...fields })
          .expect(201)
      ).body.id as string;
    const ids = {
      plain: await add('shop', databaseFields(source, shop.dbname)),
      secret: await add('shop-secret', {
        ...databaseFields(source, shop.dbname),
        encryption_recipients: [userRecipient],
        exclude_schemas: ['audit'],
        backup_role_passwords: true,
      }),
      lowpriv: await add('shop-lowpriv', {
        ...databaseFields(source, shop.dbname),
        user: 'backup_user',
        password: 'backup-pw',
        backup_role_passwords: true,
      }),
      noRoles: await add('roleless', databaseFields(fresh, roleless.dbname)),
    };
    for (const [key, id] of Object.entries(ids)) backups[key] = await backUp(app, id);
  }, 180_000);
  afterAll(async () => {
    await app?.api.close();
    await Promise.all([source?.stop(), fresh?.stop(), byHand?.stop()]);
  });

  it('stores the roles (no passwords unless asked) as a second object the sidecar points at', async () => {
    const backup = backups.plain;
    expect(backup).toMatchObject({ status: 'success', roles_with_passwords: false });
    expect(backup.roles_object_key).toBe((backup.object_key as string).replace(/\.dump$/, '.roles.sql'));
    const roles = await readObject(bucket, backup.roles_object_key as string);
    const script = roles.toString();
    for (const role of ['analyst', 'readers', 'app_owner', 'ops_admin'])
      expect(script).toContain(`CREATE ROLE ${role};`);
    expect(script).toContain('GRANT readers TO analyst WITH ADMIN OPTION');
    expect(script).not.toMatch(/PASSWORD/);

    const sidecar = await sidecarOf(backup);
    expect(sidecar.roles).toEqual({
      object_key: backup.roles_object_key,
      format: 'pg_dumpall --roles-only',
      includes_passwords: false,
      size_bytes: roles.length,
      sha256_object: sha256(roles),
      script_size_bytes: roles.length,
      sha256_script: sha256(roles),
    });
  });

  it('encrypts the roles object like the dump, with passwords when the database asks, and labels the recipients', async () => {
    const backup = backups.secret;
    expect(backup).toMatchObject({ status: 'success', encrypted: true, roles_with_passwords: true });
    expect(backup.roles_object_key).toMatch(/\.roles\.sql\.age$/);
    const stored = await readObject(bucket, backup.roles_object_key as string);
    expect(stored.subarray(0, 21).toString()).toBe('age-encryption.org/v1');
    const sidecar = await sidecarOf(backup);
    expect(sha256(stored)).toBe(sidecar.roles.sha256_object);
    await download(backup.roles_object_key as string);
    const { stdout } = await run(
      'age',
      ['-d', '-i', userIdentityFile, backup.roles_object_key!.toString().split('/').pop()!],
      {
        cwd: work,
      },
    );
    expect(sha256(Buffer.from(stdout))).toBe(sidecar.roles.sha256_script);
    expect(stdout).toMatch(/ALTER ROLE analyst WITH .*PASSWORD 'SCRAM-SHA-256\$/);

    expect(sidecar.encryption.recipients).toEqual([
      { label: 'tenant', recipient: (backup.encryption_recipients as string[])[0] },
      { label: 'database recipient 1', recipient: userRecipient },
    ]);
  });

  it('marks a partial dump partial, with the options pg_dump was given', async () => {
    expect(await sidecarOf(backups.secret)).toMatchObject({
      partial: true,
      dump_options: { include_schemas: [], exclude_schemas: ['audit'], include_tables: [], exclude_tables: [] },
    });
    expect(await sidecarOf(backups.plain)).toMatchObject({
      partial: false,
      dump_options: { include_schemas: [], exclude_schemas: [], include_tables: [], exclude_tables: [] },
    });
  });

  it('stores the roles without passwords, and says so, when the user may not read them', async () => {
    const backup = backups.lowpriv;
    expect(backup).toMatchObject({ status: 'success', roles_with_passwords: false });
    expect(backup.warnings).toContainEqual(expect.stringMatching(/passwords are not included: user "backup_user"/));
    const script = (await readObject(bucket, backup.roles_object_key as string)).toString();
    expect(script).toContain('CREATE ROLE analyst;');
    expect(script).not.toMatch(/PASSWORD/);
  });

  it('keeps a backup whose roles cannot be dumped: a warning, no roles object, and create_roles refused', async () => {
    const backup = backups.noRoles;
    expect(backup).toMatchObject({ status: 'success', roles_object_key: null });
    expect(backup.warnings).toContainEqual(expect.stringMatching(/^roles: not in this backup.*permission denied/));
    expect((await sidecarOf(backup)).roles).toBeNull();
    const refused = await app
      .http()
      .post(`/api/v1/backups/${backup.id}/restore`)
      .set(auth())
      .send({ ...restoreTarget(byHand, 'never'), create: true, create_roles: true });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('BACKUP_HAS_NO_ROLES');
  });

  it('without create_roles, a restore onto a server without the roles fails at the first role it names', async () => {
    const restored = await restore(app, backups.plain.id as string, {
      ...restoreTarget(fresh, 'no_roles_copy'),
      create: true,
      no_owner: false,
    });
    expect(restored.status).toBe('failed');
    expect(restored.error_message).toMatch(/role "\w+" does not exist/);
    expect(restored.roles_created).toEqual([]);
  });

  it('with create_roles, creates only the missing roles (never superusers), then owners and grants restore', async () => {
    // One of the roles exists there already, different: it must stay exactly as it is.
    await sql(fresh.adminUrl, 'CREATE ROLE readers CREATEDB LOGIN CONNECTION LIMIT 2');
    // Into another server owners and grants are skipped by default, unless the roles are created first.
    const restored = await restore(app, backups.plain.id as string, {
      ...restoreTarget(fresh, 'with_roles_copy'),
      create: true,
      create_roles: true,
    });
    expect(restored).toMatchObject({ status: 'success', create_roles: true, error_message: null });
    expect([...(restored.roles_created as string[])].sort()).toEqual([
      'analyst',
      'app_owner',
      'backup_user',
      'ops_admin',
    ]);

    const roles = await sql(
      fresh.adminUrl,
      `SELECT rolname, rolsuper, rolcanlogin, rolcreatedb, rolconnlimit FROM pg_roles
       WHERE rolname IN ('analyst', 'app_owner', 'backup_user', 'ops_admin', 'readers') ORDER BY 1`,
    );
    expect(roles).toEqual([
      { rolname: 'analyst', rolsuper: false, rolcanlogin: true, rolcreatedb: false, rolconnlimit: 5 },
      { rolname: 'app_owner', rolsuper: false, rolcanlogin: false, rolcreatedb: false, rolconnlimit: -1 },
      { rolname: 'backup_user', rolsuper: false, rolcanlogin: true, rolcreatedb: false, rolconnlimit: -1 },
      // A superuser in the backup, but a restore never hands out superuser rights.
      { rolname: 'ops_admin', rolsuper: false, rolcanlogin: true, rolcreatedb: false, rolconnlimit: -1 },
      // Existing: unchanged (still CREATEDB, LOGIN, limit 2).
      { rolname: 'readers', rolsuper: false, rolcanlogin: true, rolcreatedb: true, rolconnlimit: 2 },
    ]);
    const [membership] = await sql(
      fresh.adminUrl,
      `SELECT m.admin_option FROM pg_auth_members m
       JOIN pg_roles r ON r.oid = m.roleid JOIN pg_roles u ON u.oid = m.member
       WHERE r.rolname = 'readers' AND u.rolname = 'analyst'`,
    );
    expect(membership).toEqual({ admin_option: true });

    const target = fresh.urlFor('with_roles_copy');
    const [grants] = await sql(
      target,
      `SELECT has_table_privilege('analyst', 'public.customers', 'SELECT') AS analyst_customers,
              has_table_privilege('readers', 'public.orders', 'SELECT') AS readers_orders,
              (SELECT tableowner FROM pg_tables WHERE schemaname = 'audit' AND tablename = 'events') AS events_owner`,
    );
    expect(grants).toEqual({ analyst_customers: true, readers_orders: true, events_owner: 'app_owner' });
    expect(await tableContents(target)).toEqual(await tableContents(shop.url));

    // Once they exist, a second restore creates none.
    const again = await restore(app, backups.plain.id as string, {
      ...restoreTarget(fresh, 'with_roles_again'),
      create: true,
      no_owner: false,
      create_roles: true,
    });
    expect(again).toMatchObject({ status: 'success', roles_created: [] });
  });

  it('decrypts and checks an encrypted roles object, and creates roles with their passwords when it has them', async () => {
    const other = await startPostgres({ major: 15 });
    try {
      const restored = await restore(app, backups.secret.id as string, {
        ...restoreTarget(other, 'secret_copy'),
        create: true,
        create_roles: true,
      });
      expect(restored).toMatchObject({ status: 'success', error_message: null });
      expect(restored.roles_created).toEqual(expect.arrayContaining(['analyst', 'readers', 'app_owner']));
      // The password hash came along: analyst signs in on the new server with its old password.
      const [me] = await sql(
        `postgresql://analyst:analyst-pw@${other.host}:${other.port}/secret_copy`,
        'SELECT current_user AS who, (SELECT count(*)::int FROM customers) AS customers',
      );
      expect(me).toEqual({ who: 'analyst', customers: 300 });
    } finally {
      await other.stop();
    }
  });

  it("the sidecar's restore line works as written on another server, with the standard tools", async () => {
    for (const name of ['plain', 'secret'] as const) {
      const backup = backups[name];
      const sidecar = await sidecarOf(backup);
      await download(backup.object_key as string);
      const target = `by_hand_${name}`;
      await byHand.createDatabase(target);
      await runAsWritten(sidecar.restore as string, byHand, target);
      const contents = await tableContents(shop.url);
      const expected =
        name === 'secret'
          ? Object.fromEntries(Object.entries(contents).filter(([t]) => !t.startsWith('audit.')))
          : contents;
      expect(await tableContents(byHand.urlFor(target))).toEqual(expected);
    }
  });

  it("the sidecar's restore_with_roles steps create the roles first, and the grants come back", async () => {
    const backup = backups.plain;
    const sidecar = await sidecarOf(backup);
    await download(backup.object_key as string);
    await download(backup.roles_object_key as string);
    await byHand.createDatabase('by_hand_roles');
    expect(sidecar.restore_with_roles).toHaveLength(2);
    for (const line of sidecar.restore_with_roles as string[]) await runAsWritten(line, byHand, 'by_hand_roles');
    const [grants] = await sql(
      byHand.urlFor('by_hand_roles'),
      `SELECT has_table_privilege('analyst', 'public.customers', 'SELECT') AS analyst_customers,
              has_table_privilege('readers', 'public.orders', 'SELECT') AS readers_orders`,
    );
    expect(grants).toEqual({ analyst_customers: true, readers_orders: true });
    expect(await tableContents(byHand.urlFor('by_hand_roles'))).toEqual(await tableContents(shop.url));
  });
});
