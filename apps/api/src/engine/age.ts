import { bech32 } from '@scure/base';
import {
  createCipheriv,
  createDecipheriv,
  createHmac,
  createPrivateKey,
  createPublicKey,
  diffieHellman,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
  type KeyObject,
} from 'node:crypto';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { generateX25519Identity, identityToRecipient } from 'age-encryption';

/**
 * The one place that encrypts dumps: age v1 (https://age-encryption.org/v1) to X25519 recipients,
 * readable by the standard `age -d` CLI, streaming with bounded memory whatever the dump size.
 *
 * The format is written and read here with Node's own X25519, HKDF, HMAC and ChaCha20-Poly1305
 * (OpenSSL): age-encryption's pure-JavaScript ciphers took 7-8 times the CPU, on the thread that
 * also feeds the upload (docs/performance.md). Keys are still made by age-encryption.
 */

const VERSION_LINE = 'age-encryption.org/v1';
const X25519_LABEL = 'age-encryption.org/v1/X25519';
/** Plaintext bytes per STREAM chunk; each is sealed with a 16-byte Poly1305 tag. */
const CHUNK = 64 * 1024;
const TAG = 16;
const FILE_KEY_BYTES = 16;
const NONCE_BYTES = 16;
/** A header larger than this is not an age header of ours (a few stanzas of ~100 bytes each). */
const MAX_HEADER_BYTES = 64 * 1024;

export async function newAgeKeyPair(): Promise<{ identity: string; recipient: string }> {
  // X25519, not the post-quantum hybrid default: Debian's age 1.1 must be able to decrypt.
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

const b64 = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

/** age's canonical unpadded base64 (a padded or non-canonical encoding is refused). */
function fromB64(text: string): Buffer {
  if (!/^[A-Za-z0-9+/]*$/.test(text)) throw new Error('age header: invalid base64');
  const bytes = Buffer.from(text, 'base64');
  if (b64(bytes) !== text) throw new Error('age header: non-canonical base64');
  return bytes;
}

function bech32Bytes(text: string, prefix: string): Buffer {
  const { prefix: found, words } = bech32.decode(text as `${string}1${string}`, 1_000);
  if (found !== prefix) throw new Error(`expected an age ${prefix} key`);
  const bytes = Buffer.from(bech32.fromWords(words));
  if (bytes.length !== 32) throw new Error('an age X25519 key is 32 bytes');
  return bytes;
}

const x25519Public = (raw: Buffer): KeyObject =>
  createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: raw.toString('base64url') }, format: 'jwk' });

function x25519Private(raw: Buffer): KeyObject {
  const publicKey = createPublicKey(
    createPrivateKey({
      key: { kty: 'OKP', crv: 'X25519', d: raw.toString('base64url'), x: Buffer.alloc(32).toString('base64url') },
      format: 'jwk',
    }),
  );
  // The JWK's `x` must match `d`: derive it, then build the key again with the real public half.
  const x = publicKey.export({ format: 'jwk' }).x!;
  return createPrivateKey({ key: { kty: 'OKP', crv: 'X25519', d: raw.toString('base64url'), x }, format: 'jwk' });
}

const rawPublic = (key: KeyObject) => Buffer.from(key.export({ format: 'jwk' }).x!, 'base64url');

function hkdf(ikm: Buffer, salt: Buffer, info: string): Buffer {
  return Buffer.from(hkdfSync('sha256', ikm, salt, info, 32));
}

function seal(key: Buffer, nonce: Buffer, plaintext: Buffer): Buffer {
  const cipher = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  return Buffer.concat([cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]);
}

function open(key: Buffer, nonce: Buffer, sealed: Buffer): Buffer {
  if (sealed.length < TAG) throw new Error('age: a sealed chunk is shorter than its tag');
  const decipher = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG });
  decipher.setAuthTag(sealed.subarray(sealed.length - TAG));
  try {
    return Buffer.concat([decipher.update(sealed.subarray(0, sealed.length - TAG)), decipher.final()]);
  } catch {
    throw new Error('age: the data was modified or the key is wrong (authentication failed)');
  }
}

/** The X25519 stanza that gives `fileKey` to `recipient`: [share, wrapped file key]. */
function wrapFor(recipient: string, fileKey: Buffer): [Buffer, Buffer] {
  const theirs = bech32Bytes(recipient, 'age');
  const ephemeral = x25519Private(randomBytes(32));
  const share = rawPublic(ephemeral);
  const shared = diffieHellman({ privateKey: ephemeral, publicKey: x25519Public(theirs) });
  if (shared.equals(Buffer.alloc(32))) throw new Error('age: a low-order recipient key');
  const wrapKey = hkdf(shared, Buffer.concat([share, theirs]), X25519_LABEL);
  return [share, seal(wrapKey, Buffer.alloc(12), fileKey)];
}

/** A stanza body: base64 in lines of 64 columns, the last one shorter (empty when it would be full). */
function stanzaBody(bytes: Buffer): string {
  const text = b64(bytes);
  const lines: string[] = [];
  for (let i = 0; i <= text.length; i += 64) lines.push(text.slice(i, i + 64));
  return lines.join('\n');
}

const headerMac = (fileKey: Buffer, headerUpToDashes: string) =>
  createHmac('sha256', hkdf(fileKey, Buffer.alloc(0), 'header'))
    .update(headerUpToDashes)
    .digest();

/** The 12-byte STREAM nonce of chunk `counter`: an 11-byte big-endian counter, then the last-chunk flag. */
function chunkNonce(counter: number, last: boolean): Buffer {
  const nonce = Buffer.alloc(12);
  nonce.writeUIntBE(counter, 5, 6);
  nonce[11] = last ? 1 : 0;
  return nonce;
}

/** An encrypting stage for stream.pipeline: age header, then the payload sealed chunk by chunk. */
export async function encryptingStream(recipients: string[]): Promise<Transform> {
  if (recipients.length === 0) throw new Error('age: no recipient to encrypt to');
  const fileKey = randomBytes(FILE_KEY_BYTES);
  let header = `${VERSION_LINE}\n`;
  for (const recipient of recipients) {
    const [share, body] = wrapFor(recipient, fileKey);
    header += `-> X25519 ${b64(share)}\n${stanzaBody(body)}\n`;
  }
  header += '---';
  header += ` ${b64(headerMac(fileKey, header))}\n`;
  const nonce = randomBytes(NONCE_BYTES);
  const streamKey = hkdf(fileKey, nonce, 'payload');

  let pending: Buffer = Buffer.alloc(0);
  let counter = 0;
  let started = false;
  return new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      if (!started) {
        this.push(Buffer.concat([Buffer.from(header, 'latin1'), nonce]));
        started = true;
      }
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      // A full chunk is sealed only once more bytes follow: the last chunk (even a full one) carries the flag.
      const sealed: Buffer[] = [];
      while (pending.length > CHUNK) {
        sealed.push(seal(streamKey, chunkNonce(counter++, false), pending.subarray(0, CHUNK)));
        pending = pending.subarray(CHUNK);
      }
      if (sealed.length) this.push(sealed.length === 1 ? sealed[0] : Buffer.concat(sealed));
      done();
    },
    flush(done: TransformCallback) {
      if (!started) this.push(Buffer.concat([Buffer.from(header, 'latin1'), nonce]));
      this.push(seal(streamKey, chunkNonce(counter, true), pending));
      done();
    },
  });
}

/** The file key of a parsed header, from the identity's X25519 stanza; the header's MAC checked. */
function unwrapFileKey(headerText: string, identity: string): Buffer {
  const lines = headerText.split('\n');
  if (lines[0] !== VERSION_LINE) throw new Error('age: not an age v1 file');
  const secret = bech32Bytes(identity.toLowerCase(), 'age-secret-key-');
  const privateKey = x25519Private(secret);
  const ours = rawPublic(privateKey);
  let fileKey: Buffer | undefined;
  let i = 1;
  for (; i < lines.length && lines[i].startsWith('-> ');) {
    const args = lines[i].slice(3).split(' ');
    const body: string[] = [];
    for (i++; i < lines.length && !lines[i].startsWith('-> ') && !lines[i].startsWith('---'); i++) {
      body.push(lines[i]);
      if (lines[i].length < 64) {
        i++;
        break;
      }
    }
    if (fileKey || args[0] !== 'X25519' || args.length !== 2) continue;
    const share = fromB64(args[1]);
    const wrapped = fromB64(body.join(''));
    if (share.length !== 32 || wrapped.length !== FILE_KEY_BYTES + TAG) throw new Error('age: invalid X25519 stanza');
    const shared = diffieHellman({ privateKey, publicKey: x25519Public(share) });
    const wrapKey = hkdf(shared, Buffer.concat([share, ours]), X25519_LABEL);
    try {
      fileKey = open(wrapKey, Buffer.alloc(12), wrapped);
    } catch {
      // Another recipient's stanza.
    }
  }
  const macLine = lines[i] ?? '';
  if (!macLine.startsWith('--- ')) throw new Error('age: malformed header');
  if (!fileKey) throw new Error('age: no identity matched any of the file’s recipients');
  const upToDashes = `${lines.slice(0, i).join('\n')}\n---`;
  const mac = fromB64(macLine.slice(4));
  const expected = headerMac(fileKey, upToDashes);
  if (mac.length !== expected.length || !timingSafeEqual(mac, expected)) {
    throw new Error('age: the header was modified (MAC mismatch)');
  }
  return fileKey;
}

/** Decrypts as it reads; a modified byte anywhere fails the stream (age authenticates every chunk). */
export async function decryptStream(source: Readable, identity: string): Promise<Readable> {
  let buffered: Buffer = Buffer.alloc(0);
  let streamKey: Buffer | undefined;
  let counter = 0;
  const decrypter = new Transform({
    transform(chunk: Buffer, _encoding, done: TransformCallback) {
      try {
        buffered = buffered.length ? Buffer.concat([buffered, chunk]) : chunk;
        if (!streamKey) {
          const end = buffered.indexOf('\n---');
          const lineEnd = end < 0 ? -1 : buffered.indexOf('\n', end + 4);
          if (lineEnd < 0 || lineEnd + 1 + NONCE_BYTES > buffered.length) {
            if (buffered.length > MAX_HEADER_BYTES) throw new Error('age: no header end found');
            return done();
          }
          const fileKey = unwrapFileKey(buffered.subarray(0, lineEnd).toString('latin1'), identity);
          const nonce = buffered.subarray(lineEnd + 1, lineEnd + 1 + NONCE_BYTES);
          streamKey = hkdf(fileKey, Buffer.from(nonce), 'payload');
          buffered = buffered.subarray(lineEnd + 1 + NONCE_BYTES);
        }
        // Keep at least one sealed chunk back: only the end of the input says which chunk is the last.
        const opened: Buffer[] = [];
        while (buffered.length > CHUNK + TAG) {
          opened.push(open(streamKey, chunkNonce(counter++, false), buffered.subarray(0, CHUNK + TAG)));
          buffered = buffered.subarray(CHUNK + TAG);
        }
        if (opened.length) this.push(opened.length === 1 ? opened[0] : Buffer.concat(opened));
        done();
      } catch (error) {
        done(error as Error);
      }
    },
    flush(done: TransformCallback) {
      try {
        if (!streamKey) throw new Error('age: the file ends inside its header');
        const last = open(streamKey, chunkNonce(counter, true), buffered);
        if (last.length === 0 && counter > 0) throw new Error('age: the final chunk is empty');
        this.push(last);
        done();
      } catch (error) {
        done(error as Error);
      }
    },
  });
  source.on('error', (error) => decrypter.destroy(error));
  return source.pipe(decrypter);
}
