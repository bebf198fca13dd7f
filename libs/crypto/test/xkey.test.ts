import { describe, expect, it } from 'vitest';
import { createCurve, fromPublic } from 'nkeys.js';
import {
  PLAINTEXT_OFFSET,
  boxKey,
  chunkNonce,
  createXKey,
  decodeXKey,
  fromXKeySeed,
  open,
  openChunk,
  openChunkInPlace,
  randomBytes,
  seal,
  sealChunk,
  transferKeys,
  transferSalt,
} from '../src/index';

function sides() {
  const sender = createXKey();
  const receiver = createXKey();
  const transferId = 'T' + Math.random().toString(36).slice(2, 14);
  const senderKeys = transferKeys(transferId, decodeXKey(receiver.publicKey), sender.secretKey);
  const receiverKeys = transferKeys(transferId, decodeXKey(sender.publicKey), receiver.secretKey);
  return { sender, receiver, senderKeys, receiverKeys };
}

function sealedChunk(keys: ReturnType<typeof transferKeys>, index: number, plaintext: Uint8Array): Uint8Array {
  const buffer = new Uint8Array(PLAINTEXT_OFFSET + plaintext.length);
  buffer.set(plaintext, PLAINTEXT_OFFSET);
  return sealChunk(keys, index, buffer);
}

describe('xkey seal/open, byte-compatible with nkeys.js', () => {
  it('nkeys.js opens what we seal', () => {
    const ours = createXKey();
    const theirs = createCurve();
    const message = randomBytes(10_000);
    const sealed = seal(message, randomBytes(24), decodeXKey(theirs.getPublicKey()), ours.secretKey);
    expect(theirs.open(sealed, ours.publicKey)).toEqual(message);
  });

  it('we open what nkeys.js seals, including an empty message', () => {
    const ours = createXKey();
    const theirs = createCurve();
    for (const message of [randomBytes(4096), new Uint8Array(0)]) {
      const sealed = theirs.seal(message, ours.publicKey);
      expect(open(sealed, decodeXKey(theirs.getPublicKey()), ours.secretKey)).toEqual(message);
    }
  });

  it('keys round-trip through nkeys encodings', () => {
    const pair = createXKey();
    expect(pair.publicKey).toMatch(/^X[A-Z2-7]{55}$/);
    expect(fromPublic(pair.publicKey).getPublicKey()).toBe(pair.publicKey);
    expect(fromXKeySeed(pair.seed).publicKey).toBe(pair.publicKey);
    expect(() => decodeXKey(pair.publicKey.slice(0, -1) + (pair.publicKey.endsWith('A') ? 'B' : 'A'))).toThrow();
  });
});

describe('chunk boxes', () => {
  it('open at their own index only: reordered chunks fail', () => {
    const { senderKeys, receiverKeys } = sides();
    const zero = sealedChunk(senderKeys, 0, randomBytes(1000));
    const one = sealedChunk(senderKeys, 1, randomBytes(1000));
    expect(openChunk(receiverKeys, 0, zero)).not.toBeNull();
    expect(openChunk(receiverKeys, 1, zero)).toBeNull();
    expect(openChunk(receiverKeys, 0, one)).toBeNull();
  });

  it('tampered chunks and chunks replayed from another transfer fail', () => {
    const a = sides();
    const plaintext = randomBytes(2048);
    const sealed = sealedChunk(a.senderKeys, 3, plaintext);
    expect(openChunk(a.receiverKeys, 3, sealed)).toEqual(plaintext);
    const tampered = Uint8Array.from(sealed);
    tampered[tampered.length - 1]! ^= 1;
    expect(openChunk(a.receiverKeys, 3, tampered)).toBeNull();
    // Same keys, another transfer id: the salt in the nonce differs.
    expect(openChunk({ ...a.receiverKeys, transferId: a.receiverKeys.transferId + 'x' }, 3, sealed)).toBeNull();
  });

  it('a chunk nkeys.js would open: the wire format is plain xkv1', () => {
    const sender = createXKey();
    const receiver = createCurve();
    const keys = transferKeys('abcdefgh', decodeXKey(receiver.getPublicKey()), sender.secretKey);
    const plaintext = randomBytes(512);
    expect(receiver.open(sealedChunk(keys, 7, plaintext), sender.publicKey)).toEqual(plaintext);
    expect(transferSalt('abcdefgh')).toHaveLength(16);
  });
});

describe('the per-transfer box key', () => {
  it('seals exactly the bytes a full box would, and both sides derive the same key', () => {
    const { sender, receiver, senderKeys, receiverKeys } = sides();
    expect(Buffer.compare(senderKeys.key, receiverKeys.key)).toBe(0);
    const plaintext = randomBytes(100_000);
    const salt = transferSalt(senderKeys.transferId);
    const viaKey = sealedChunk(senderKeys, 9, plaintext);
    const viaBox = seal(plaintext, chunkNonce(salt, 9), decodeXKey(receiver.publicKey), sender.secretKey);
    expect(Buffer.compare(viaKey, viaBox)).toBe(0);
    expect(openChunk(receiverKeys, 9, viaBox)).toEqual(plaintext);
  });

  it('refuses a low-order peer key with a clear error', () => {
    expect(() => boxKey(new Uint8Array(32), createXKey().secretKey)).toThrow(/low-order/);
  });
});

describe('opening in place', () => {
  it('yields the plaintext as a view of the sealed buffer, and leaves a tampered buffer failing', () => {
    const { senderKeys, receiverKeys } = sides();
    const plaintext = randomBytes(70_000);
    const sealed = sealedChunk(senderKeys, 5, plaintext);
    const opened = openChunkInPlace(receiverKeys, 5, sealed);
    expect(opened?.buffer).toBe(sealed.buffer);
    expect(Buffer.compare(opened!, plaintext)).toBe(0);
    const other = sealedChunk(senderKeys, 6, plaintext);
    other[40]! ^= 1;
    expect(openChunkInPlace(receiverKeys, 6, other)).toBeNull();
  });
});
