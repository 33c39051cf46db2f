import { Injectable } from '@nestjs/common';
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  hkdfSync,
  randomBytes,
  timingSafeEqual,
} from 'node:crypto';
import { AppConfig } from '../config/app-config';

const FORMAT = 'v1';

interface Key {
  id: string;
  bytes: Buffer;
}

function toKey(base64: string): Key {
  const bytes = Buffer.from(base64.trim(), 'base64');
  // The id names the key without revealing it, so ciphertexts say which key they need.
  return { id: createHash('sha256').update(bytes).digest('hex').slice(0, 8), bytes };
}

/**
 * The one place that encrypts secrets at rest (AES-256-GCM under APP_ENCRYPTION_KEY) and that
 * derives the server-side keys for hashing low-entropy codes and signing tokens.
 * Ciphertext: `v1:<key id>:<iv>:<tag>:<data>` (base64url parts); older keys from
 * APP_ENCRYPTION_PREVIOUS_KEYS still decrypt after a rotation.
 */
@Injectable()
export class SecretBox {
  private readonly current: Key;
  private readonly keys: Map<string, Key>;
  private readonly hmacKey: Buffer;

  constructor(config: AppConfig) {
    this.current = toKey(config.env.APP_ENCRYPTION_KEY);
    const previous = (config.env.APP_ENCRYPTION_PREVIOUS_KEYS ?? '').split(',').filter(Boolean).map(toKey);
    this.keys = new Map([this.current, ...previous].map((key) => [key.id, key]));
    this.hmacKey = this.derive('dumpstation/hmac');
  }

  encrypt(plaintext: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.current.bytes, iv);
    cipher.setAAD(Buffer.from(this.current.id));
    const data = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    const parts = [iv, cipher.getAuthTag(), data].map((part) => part.toString('base64url'));
    return [FORMAT, this.current.id, ...parts].join(':');
  }

  decrypt(ciphertext: string): string {
    const [format, keyId, iv, tag, data] = ciphertext.split(':');
    const key = this.keys.get(keyId);
    if (format !== FORMAT || !key || !iv || !tag || data === undefined) {
      throw new Error(`cannot decrypt: ${key ? 'malformed ciphertext' : `key ${keyId} is not configured`}`);
    }
    const decipher = createDecipheriv('aes-256-gcm', key.bytes, Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(keyId));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(data, 'base64url')), decipher.final()]).toString('utf8');
  }

  /** Keyed hash for short codes (one-time codes, recovery codes) that a plain hash would not protect. */
  hmac(value: string): string {
    return createHmac('sha256', this.hmacKey).update(value).digest('hex');
  }

  /** Constant-time comparison of two hex digests. */
  static digestsEqual(a: string, b: string): boolean {
    const left = Buffer.from(a, 'hex');
    const right = Buffer.from(b, 'hex');
    return left.length === right.length && timingSafeEqual(left, right);
  }

  /** Plain SHA-256 for high-entropy random tokens (API and refresh tokens). */
  static sha256(value: string): string {
    return createHash('sha256').update(value).digest('hex');
  }

  /** A purpose-bound key from APP_ENCRYPTION_KEY (HKDF), e.g. for signing JWTs. */
  derive(purpose: string): Buffer {
    return Buffer.from(hkdfSync('sha256', this.current.bytes, Buffer.alloc(0), purpose, 32));
  }
}
