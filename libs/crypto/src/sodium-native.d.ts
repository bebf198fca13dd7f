/** The slice of sodium-native (which ships no types) that @natster/crypto uses. */
declare module 'sodium-native' {
  type Bytes = Uint8Array;
  const sodium: {
    crypto_box_NONCEBYTES: number;
    crypto_box_MACBYTES: number;
    crypto_box_PUBLICKEYBYTES: number;
    crypto_box_SECRETKEYBYTES: number;
    crypto_box_easy(c: Bytes, m: Bytes, n: Bytes, pk: Bytes, sk: Bytes): void;
    crypto_box_open_easy(m: Bytes, c: Bytes, n: Bytes, pk: Bytes, sk: Bytes): boolean;
    crypto_scalarmult_base(q: Bytes, n: Bytes): void;
    crypto_scalarmult(q: Bytes, n: Bytes, p: Bytes): void;
    crypto_secretbox_easy(c: Bytes, m: Bytes, n: Bytes, k: Bytes): void;
    crypto_secretbox_open_easy(m: Bytes, c: Bytes, n: Bytes, k: Bytes): boolean;
    randombytes_buf(buf: Bytes): void;
    sodium_memzero(buf: Bytes): void;
  };
  export default sodium;
}
