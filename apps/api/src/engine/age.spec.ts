import { Decrypter, Encrypter } from 'age-encryption';
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { promisify } from 'node:util';
import { decryptStream, encryptingStream, newAgeKeyPair } from './age';

const execFileAsync = promisify(execFile);

async function encrypt(plaintext: Buffer, recipients: string[], pieces = 7): Promise<Buffer> {
  const out: Buffer[] = [];
  // In uneven pieces, as pg_dump's stdout comes.
  const parts: Buffer[] = [];
  for (let at = 0, i = 0; at < plaintext.length; i++) {
    const size = Math.max(1, Math.floor(plaintext.length / pieces) + (i % 3) * 1_017);
    parts.push(plaintext.subarray(at, at + size));
    at += size;
  }
  const encrypted = Readable.from(parts).pipe(await encryptingStream(recipients));
  for await (const chunk of encrypted) out.push(chunk as Buffer);
  return Buffer.concat(out);
}

async function decrypt(ciphertext: Buffer, identity: string): Promise<Buffer> {
  const out: Buffer[] = [];
  for await (const chunk of await decryptStream(
    Readable.from([ciphertext.subarray(0, 100), ciphertext.subarray(100)]),
    identity,
  ))
    out.push(chunk as Buffer);
  return Buffer.concat(out);
}

// The age v1 format written and read with Node's crypto: what the age CLI and age-encryption read
// and write, at the sizes where chunking goes wrong (empty, one byte, around 64 KiB, several chunks).
describe('age (native)', () => {
  let dir: string;
  let alice: { identity: string; recipient: string };
  let bob: { identity: string; recipient: string };
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'dumpstation-age-'));
    [alice, bob] = await Promise.all([newAgeKeyPair(), newAgeKeyPair()]);
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const SIZES = [0, 1, 65_535, 65_536, 65_537, 131_072, 300_001];

  it.each(SIZES)('%i bytes: the age CLI decrypts it with either recipient’s identity', async (size) => {
    const plaintext = randomBytes(size);
    const ciphertext = await encrypt(plaintext, [alice.recipient, bob.recipient]);
    const file = join(dir, `x-${size}.age`);
    await writeFile(file, ciphertext);
    for (const [i, who] of [alice, bob].entries()) {
      const key = join(dir, `key-${size}-${i}`);
      await writeFile(key, `${who.identity}\n`);
      const { stdout } = await execFileAsync('age', ['-d', '-i', key, file], {
        encoding: 'buffer',
        maxBuffer: 1 << 24,
      });
      expect(stdout.equals(plaintext)).toBe(true);
    }
    expect((await decrypt(ciphertext, bob.identity)).equals(plaintext)).toBe(true);
  });

  it.each(SIZES)('%i bytes: age-encryption decrypts ours, and ours decrypts age-encryption’s', async (size) => {
    const plaintext = randomBytes(size);
    const decrypter = new Decrypter();
    decrypter.addIdentity(alice.identity);
    expect(Buffer.from(await decrypter.decrypt(await encrypt(plaintext, [alice.recipient]))).equals(plaintext)).toBe(
      true,
    );
    const encrypter = new Encrypter();
    encrypter.addRecipient(alice.recipient);
    const theirs = Buffer.from(await encrypter.encrypt(plaintext));
    expect((await decrypt(theirs, alice.identity)).equals(plaintext)).toBe(true);
  });

  it('the age CLI’s own output decrypts too', async () => {
    const plaintext = randomBytes(200_000);
    const input = join(dir, 'cli-in');
    await writeFile(input, plaintext);
    await execFileAsync('age', ['-r', alice.recipient, '-o', join(dir, 'cli.age'), input]);
    expect((await decrypt(await readFile(join(dir, 'cli.age')), alice.identity)).equals(plaintext)).toBe(true);
  });

  it('refuses a wrong identity, a modified header, a modified or cut payload', async () => {
    const plaintext = randomBytes(150_000);
    const ciphertext = await encrypt(plaintext, [alice.recipient]);
    await expect(decrypt(ciphertext, bob.identity)).rejects.toThrow(/no identity matched/);
    const headerEnd = ciphertext.indexOf('\n---') + 1;
    const badHeader = Buffer.from(ciphertext);
    badHeader[headerEnd - 5] ^= 1; // inside the stanza body
    await expect(decrypt(badHeader, alice.identity)).rejects.toThrow(/age:/);
    for (const at of [ciphertext.length - 1, ciphertext.length - 70_000, headerEnd + 80]) {
      const bad = Buffer.from(ciphertext);
      bad[at] ^= 0x40;
      await expect(decrypt(bad, alice.identity)).rejects.toThrow(/authentication failed|MAC|age:/);
    }
    // Cut at a chunk boundary: the chunk before was not sealed as the last one.
    const headerLength = ciphertext.indexOf('\n', ciphertext.indexOf('\n---') + 1) + 1 + 16;
    const cut = ciphertext.subarray(0, headerLength + 65_536 + 16);
    await expect(decrypt(cut, alice.identity)).rejects.toThrow(/authentication failed/);
  });
});
