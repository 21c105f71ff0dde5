// Bytes -> text, chunk by chunk: UTF-8 with or without BOM, UTF-16LE/BE (BOM, or zero bytes without one),
// and Windows-1252 when the start of the file is not valid UTF-8 (old spreadsheet exports).

/** The encoding is chosen from exactly this many first bytes (or the whole input when shorter). */
const SNIFF_BYTES = 64 * 1024;

export class ByteDecoder {
  private decoder: TextDecoder | null = null;
  private held: Uint8Array[] = [];
  private heldBytes = 0;
  /** UTF-8 only: the bytes of a character cut in two by the chunk boundary. */
  private carry: Uint8Array | null = null;
  private first = true;
  /** The encoding chosen from the first bytes. */
  encoding = '';

  /** Decodes the next chunk; the first 64 KiB are held until the encoding is known. */
  push(bytes: Uint8Array): string {
    if (this.decoder) return this.decode(bytes);
    this.held.push(bytes);
    this.heldBytes += bytes.length;
    if (this.heldBytes < SNIFF_BYTES) return '';
    const joined = this.takeHeld();
    this.decoder = this.choose(joined.subarray(0, SNIFF_BYTES));
    return this.decode(joined);
  }

  end(): string {
    if (!this.decoder) {
      const head = this.takeHeld();
      this.decoder = this.choose(head);
      return this.decode(head, true);
    }
    return this.decode(new Uint8Array(0), true);
  }

  private takeHeld(): Uint8Array {
    const joined = this.held.length === 1 ? this.held[0] : new Uint8Array(this.heldBytes);
    if (this.held.length > 1) {
      let o = 0;
      for (const h of this.held) {
        joined.set(h, o);
        o += h.length;
      }
    }
    this.held = [];
    this.heldBytes = 0;
    return joined;
  }

  private decode(bytes: Uint8Array, final = false): string {
    const d = this.decoder!;
    let text: string;
    if (this.encoding === 'utf-8') {
      // Decode whole characters without `stream` (Node's fast path is several times quicker than its
      // streaming one) and carry a character cut by the chunk boundary over to the next chunk.
      let b = bytes;
      if (this.carry) {
        b = new Uint8Array(this.carry.length + bytes.length);
        b.set(this.carry);
        b.set(bytes, this.carry.length);
        this.carry = null;
      }
      const cut = final ? b.length : completeUtf8(b);
      if (cut < b.length) this.carry = b.slice(cut);
      text = d.decode(b.subarray(0, cut));
    } else {
      text = final ? d.decode(bytes) : d.decode(bytes, { stream: true });
    }
    if (this.first && text.length > 0) {
      this.first = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
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
    // The BOM is removed by us, once: chunks are decoded separately and each could start with U+FEFF.
    return new TextDecoder(enc, { ignoreBOM: true });
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

/** Length of the prefix that ends on a character boundary (a cut multi-byte character is left out). */
function completeUtf8(b: Uint8Array): number {
  const n = b.length;
  let i = n - 1;
  // Step back over at most three continuation bytes to the last lead byte.
  while (i >= 0 && n - i <= 3 && (b[i] & 0xc0) === 0x80) i--;
  if (i < 0) return n;
  const lead = b[i];
  const need = lead >= 0xf0 ? 4 : lead >= 0xe0 ? 3 : lead >= 0xc0 ? 2 : 1;
  return need > n - i ? i : n;
}
