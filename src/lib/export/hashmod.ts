// Prometheus' `hashmod` relabel action, so that AURA shards entities exactly as a relabel config shards
// scraping: md5 of the label value, the LAST 8 bytes of the digest read as a big-endian uint64, modulo N
// (prometheus/model/relabel: `binary.BigEndian.Uint64(hash[8:]) % modulus`). MD5 is written out here
// because WebCrypto has no MD5 and src/lib must run in the browser too.

const S = [
  7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 5, 9, 14, 20, 4,
  11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21,
];
const K = Array.from({ length: 64 }, (_, i) => Math.floor(Math.abs(Math.sin(i + 1)) * 2 ** 32) >>> 0);

/** The 16-byte MD5 digest of `bytes` (RFC 1321). */
export function md5(bytes: Uint8Array): Uint8Array {
  const bitLen = bytes.length * 8;
  const padded = new Uint8Array((((bytes.length + 8) >> 6) + 1) << 6);
  padded.set(bytes);
  padded[bytes.length] = 0x80;
  const view = new DataView(padded.buffer);
  view.setUint32(padded.length - 8, bitLen >>> 0, true);
  view.setUint32(padded.length - 4, Math.floor(bitLen / 2 ** 32), true);
  let a0 = 0x67452301;
  let b0 = 0xefcdab89;
  let c0 = 0x98badcfe;
  let d0 = 0x10325476;
  const m = new Uint32Array(16);
  for (let off = 0; off < padded.length; off += 64) {
    for (let i = 0; i < 16; i++) m[i] = view.getUint32(off + 4 * i, true);
    let a = a0;
    let b = b0;
    let c = c0;
    let d = d0;
    for (let i = 0; i < 64; i++) {
      let f: number;
      let g: number;
      if (i < 16) {
        f = (b & c) | (~b & d);
        g = i;
      } else if (i < 32) {
        f = (d & b) | (~d & c);
        g = (5 * i + 1) % 16;
      } else if (i < 48) {
        f = b ^ c ^ d;
        g = (3 * i + 5) % 16;
      } else {
        f = c ^ (b | ~d);
        g = (7 * i) % 16;
      }
      const sum = (a + f + K[i] + m[g]) >>> 0;
      a = d;
      d = c;
      c = b;
      b = (b + ((sum << S[i]) | (sum >>> (32 - S[i])))) >>> 0;
    }
    a0 = (a0 + a) >>> 0;
    b0 = (b0 + b) >>> 0;
    c0 = (c0 + c) >>> 0;
    d0 = (d0 + d) >>> 0;
  }
  const out = new Uint8Array(16);
  const ov = new DataView(out.buffer);
  [a0, b0, c0, d0].forEach((w, i) => ov.setUint32(4 * i, w, true));
  return out;
}

/** Prometheus' hashmod of a label value: which of `modulus` shards it falls in. */
export function hashmod(value: string, modulus: number): number {
  if (!Number.isInteger(modulus) || modulus < 1) throw new Error(`hashmod needs a whole modulus ≥ 1, got ${modulus}`);
  const digest = md5(new TextEncoder().encode(value));
  const tail = new DataView(digest.buffer).getBigUint64(8, false);
  return Number(tail % BigInt(modulus));
}

export interface Shard {
  /** 0-based. */
  index: number;
  count: number;
}

/** `--shard I/N` (I from 0 to N-1), or a message that says how to write it. */
export function parseShard(text: string): Shard {
  const m = /^\s*(\d+)\s*\/\s*(\d+)\s*$/.exec(text);
  if (!m) throw new Error(`--shard must look like I/N (e.g. 0/3: the first of three shards), got '${text}'`);
  const index = Number(m[1]);
  const count = Number(m[2]);
  if (count < 1 || index >= count)
    throw new Error(`--shard ${text}: I must be from 0 to N-1 and N at least 1 (the shards of 3 are 0/3, 1/3, 2/3)`);
  return { index, count };
}

/** Whether the entity belongs to the shard. */
export function owns(shard: Shard | null, entity: string): boolean {
  return !shard || shard.count === 1 || hashmod(entity, shard.count) === shard.index;
}
