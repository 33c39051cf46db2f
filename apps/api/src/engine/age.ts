import { Readable } from 'node:stream';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';

/**
 * The one place that encrypts dumps: age (X25519 recipients), readable by the standard
 * `age -d` CLI. Streams: memory stays bounded whatever the dump size.
 */
export async function newAgeKeyPair(): Promise<{ identity: string; recipient: string }> {
  // X25519, not the post-quantum hybrid default: Debian's age 1.1 must be able to decrypt.
  const identity = await generateX25519Identity();
  return { identity, recipient: await identityToRecipient(identity) };
}

export async function encryptStream(source: Readable, recipients: string[]): Promise<Readable> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const web = Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>;
  return Readable.fromWeb((await encrypter.encrypt(web)) as unknown as WebReadableStream<Uint8Array>);
}

/** Decrypts as it reads; a modified byte anywhere fails the stream (age authenticates every chunk). */
export async function decryptStream(source: Readable, identity: string): Promise<Readable> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const web = Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>;
  return Readable.fromWeb((await decrypter.decrypt(web)) as unknown as WebReadableStream<Uint8Array>);
}
