import { Duplex, Readable } from 'node:stream';
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

/** An encrypting stage for stream.pipeline (age-encryption itself works on web streams). */
export async function encryptingStream(recipients: string[]): Promise<Duplex> {
  const encrypter = new Encrypter();
  for (const recipient of recipients) encrypter.addRecipient(recipient);
  const input = new TransformStream<Uint8Array, Uint8Array>();
  const output = await encrypter.encrypt(input.readable);
  return Duplex.fromWeb({ writable: input.writable, readable: output as never }, { objectMode: false });
}

/** Decrypts as it reads; a modified byte anywhere fails the stream (age authenticates every chunk). */
export async function decryptStream(source: Readable, identity: string): Promise<Readable> {
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  const web = Readable.toWeb(source) as unknown as ReadableStream<Uint8Array>;
  return Readable.fromWeb((await decrypter.decrypt(web)) as unknown as WebReadableStream<Uint8Array>);
}
