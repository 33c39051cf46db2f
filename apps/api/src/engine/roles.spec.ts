import { connInfoValue, createRoleStatement, parseRolesScript, pgDumpallArguments } from './roles';

// What pg_dumpall 15 writes for `--roles-only --no-role-passwords` (PostgreSQL 12–15 servers),
// plus the membership form of pg_dumpall 16 and 17 and a password line of a dump with passwords.
const SCRIPT = String.raw`--
-- PostgreSQL database cluster dump
--

\restrict ZZQ46W7MEL9l55JSDV8Hq6ePhKv2z6jWLML21NhzdRPCrObX4SKo4wfO4RZZmpX

SET default_transaction_read_only = off;

SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;

--
-- Roles
--

CREATE ROLE analyst;
ALTER ROLE analyst WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB LOGIN NOREPLICATION NOBYPASSRLS CONNECTION LIMIT 3 VALID UNTIL '2030-01-01 00:00:00+00';
CREATE ROLE ops;
ALTER ROLE ops WITH SUPERUSER INHERIT CREATEROLE CREATEDB LOGIN REPLICATION BYPASSRLS PASSWORD 'SCRAM-SHA-256$4096:abc=$def=:ghi=';
CREATE ROLE readers;
ALTER ROLE readers WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;
COMMENT ON ROLE readers IS 'the readers';
CREATE ROLE "we""ird name";
ALTER ROLE "we""ird name" WITH NOSUPERUSER INHERIT NOCREATEROLE NOCREATEDB NOLOGIN NOREPLICATION NOBYPASSRLS;

--
-- User Configurations
--

ALTER ROLE analyst SET search_path TO 'public';
ALTER ROLE analyst IN DATABASE shop SET work_mem TO '8MB';

--
-- Role memberships
--

GRANT readers TO analyst WITH ADMIN OPTION GRANTED BY postgres;
GRANT readers TO "we""ird name" WITH INHERIT FALSE, SET TRUE GRANTED BY postgres;

\unrestrict ZZQ46W7MEL9l55JSDV8Hq6ePhKv2z6jWLML21NhzdRPCrObX4SKo4wfO4RZZmpX
`;

describe('pg_dumpall roles script', () => {
  it('reads every role, its attributes, own settings and memberships, and nothing else', () => {
    const roles = parseRolesScript(SCRIPT);

    expect(roles.map((r) => r.name)).toEqual(['analyst', 'ops', 'readers', 'we"ird name']);
    expect(roles[0]).toEqual({
      name: 'analyst',
      attributes: [
        'NOSUPERUSER',
        'INHERIT',
        'NOCREATEROLE',
        'NOCREATEDB',
        'LOGIN',
        'NOREPLICATION',
        'NOBYPASSRLS',
        'CONNECTION LIMIT 3',
        "VALID UNTIL '2030-01-01 00:00:00+00'",
      ],
      settings: ["search_path TO 'public'"],
      memberOf: [{ role: 'readers', admin: true, inherit: undefined, set: undefined }],
    });
    expect(roles[3].memberOf).toEqual([{ role: 'readers', admin: false, inherit: false, set: true }]);
  });

  it('creates roles without the rights only a superuser may hand out, keeping the password hash', () => {
    const [, ops] = parseRolesScript(SCRIPT);

    expect(createRoleStatement(ops)).toBe(
      'CREATE ROLE "ops" WITH NOSUPERUSER INHERIT CREATEROLE CREATEDB LOGIN NOREPLICATION NOBYPASSRLS PASSWORD \'SCRAM-SHA-256$4096:abc=$def=:ghi=\'',
    );
    expect(createRoleStatement(parseRolesScript(SCRIPT)[3])).toMatch(/^CREATE ROLE "we""ird name" WITH /);
  });

  it('refuses attributes it does not know rather than replaying them', () => {
    expect(() => parseRolesScript('ALTER ROLE x WITH LOGIN; DROP TABLE y;\n')).toThrow(/Unexpected role attributes/);
  });

  it('connects pg_dumpall to the database itself, its name as one conninfo value', () => {
    expect(pgDumpallArguments("qa=copy it's", false)).toEqual([
      '--roles-only',
      '--no-password',
      '--no-role-passwords',
      String.raw`--database=dbname='qa=copy it\'s'`,
    ]);
    expect(pgDumpallArguments('shop', true)).not.toContain('--no-role-passwords');
    expect(connInfoValue(String.raw`a\b`)).toBe(String.raw`'a\\b'`);
  });
});
