// Bytes -> text, chunk by chunk: UTF-8 with or without BOM, UTF-16LE/BE (BOM, or zero bytes without one),
// and Windows-1252 when the start of the file is not valid UTF-8 (old spreadsheet exports).

/** The encoding is chosen from exactly this many first bytes (or the whole input when shorter). */
const SNIFF_BYTES = 64 * 1024;

export class ByteDecoder {
  private decoder: TextDecoder | null = null;
  private head: Uint8Array | null = null;
  /** The encoding chosen from the first bytes. */
  encoding = '';

  /** Decodes the next chunk; the first few bytes are held until the encoding is known. */
  push(bytes: Uint8Array): string {
    if (this.decoder) return this.decoder.decode(bytes, { stream: true });
    const joined = this.head ? concat(this.head, bytes) : bytes;
    if (joined.length < SNIFF_BYTES) {
      this.head = joined;
      return '';
    }
    this.head = null;
    this.decoder = this.choose(joined.subarray(0, SNIFF_BYTES));
    return stripBom(this.decoder.decode(joined, { stream: true }));
  }

  end(): string {
    if (!this.decoder) {
      const head = this.head ?? new Uint8Array(0);
      this.head = null;
      this.decoder = this.choose(head);
      return stripBom(this.decoder.decode(head));
    }
    return this.decoder.decode();
  }

  private choose(b: Uint8Array): TextDecoder {
    let enc = 'utf-8';
    if (b[0] === 0xff && b[1] === 0xfe) enc = 'utf-16le';
    else if (b[0] === 0xfe && b[1] === 0xff) enc = 'utf-16be';
    else if (b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf) enc = 'utf-8';
    else {
      // Without a BOM, text in UTF-16 has a zero in (almost) every other byte.
      let evenZeros = 0;
      let oddZeros = 0;
      const n = Math.min(b.length, 1024) & ~1;
      for (let i = 0; i < n; i += 2) {
        if (b[i] === 0) evenZeros++;
        if (b[i + 1] === 0) oddZeros++;
      }
      if (n >= 4 && oddZeros > 0.4 * (n / 2) && evenZeros === 0) enc = 'utf-16le';
      else if (n >= 4 && evenZeros > 0.4 * (n / 2) && oddZeros === 0) enc = 'utf-16be';
      else if (!validUtf8Start(b)) enc = 'windows-1252';
    }
    this.encoding = enc;
    return new TextDecoder(enc);
  }
}

function validUtf8Start(b: Uint8Array): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(b, { stream: true });
    return true;
  } catch {
    return false;
  }
}

function stripBom(s: string): string {
  return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
