import { randomInt } from 'node:crypto';

const ADJECTIVES = [
  'amber',
  'brave',
  'calm',
  'clever',
  'crisp',
  'daring',
  'eager',
  'fearless',
  'gentle',
  'golden',
  'happy',
  'hidden',
  'jolly',
  'keen',
  'lively',
  'lucky',
  'mellow',
  'mighty',
  'nimble',
  'noble',
  'patient',
  'proud',
  'quick',
  'quiet',
  'rapid',
  'silent',
  'steady',
  'sunny',
  'swift',
  'tidy',
  'vivid',
  'wise',
  'witty',
  'young',
  'zesty',
  'bold',
  'bright',
  'cosmic',
  'frosty',
  'misty',
];
const ANIMALS = [
  'badger',
  'beaver',
  'bison',
  'crane',
  'dolphin',
  'eagle',
  'falcon',
  'ferret',
  'fox',
  'gecko',
  'heron',
  'ibex',
  'jaguar',
  'koala',
  'lemur',
  'lynx',
  'marten',
  'moose',
  'narwhal',
  'ocelot',
  'otter',
  'owl',
  'panda',
  'puffin',
  'quail',
  'raven',
  'salmon',
  'seal',
  'sparrow',
  'stoat',
  'tapir',
  'tiger',
  'toucan',
  'walrus',
  'weasel',
  'whale',
  'wolf',
  'wombat',
  'yak',
  'zebra',
];

const pad = (n: number) => String(n).padStart(2, '0');

/** A name people can say aloud and sort by time: `swift-falcon-20251208-143022` (UTC). */
export function backupName(at: Date): string {
  const date = `${at.getUTCFullYear()}${pad(at.getUTCMonth() + 1)}${pad(at.getUTCDate())}`;
  const time = `${pad(at.getUTCHours())}${pad(at.getUTCMinutes())}${pad(at.getUTCSeconds())}`;
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]}-${ANIMALS[randomInt(ANIMALS.length)]}-${date}-${time}`;
}

/** A database name as a key segment: lowercase letters, digits, dots, dashes and underscores. */
export function keySegment(name: string): string {
  const segment = name
    .toLowerCase()
    .replace(/[^a-z0-9._-]+/g, '-')
    .replace(/^[-.]+|[-.]+$/g, '');
  return segment || 'database';
}

/**
 * Readable object keys, so a bucket makes sense without us:
 * `<prefix><database>/<yyyy>/<mm>/<name>.dump[.age]`, the cluster's roles
 * `<…>/<name>.roles.sql[.age]` and the sidecar `<…>/<name>.json`.
 */
export function backupKeys(
  prefix: string,
  databaseName: string,
  name: string,
  at: Date,
  encrypted: boolean,
): { objectKey: string; rolesKey: string; sidecarKey: string } {
  const folder = `${prefix}${keySegment(databaseName)}/${at.getUTCFullYear()}/${pad(at.getUTCMonth() + 1)}`;
  return {
    objectKey: `${folder}/${name}.dump${encrypted ? '.age' : ''}`,
    rolesKey: `${folder}/${name}.roles.sql${encrypted ? '.age' : ''}`,
    sidecarKey: `${folder}/${name}.json`,
  };
}
