// A coboundary column under reduction for small complexes, as a merge of streams: each coboundary added
// to the column is one stream of 64-bit keys, and a small heap of streams, ordered by their earliest
// keys, finds the column's pivot. A reduction looks at only the first few entries of each coboundary
// (the pivot moves forward a handful of times per column), so a stream is not sorted when it is added: its
// earliest key is found by a scan, the next by another scan, and only a stream consulted often gets sorted.
// Equal keys at the top of two streams cancel over Z/2, as in Ripser's lazy heap column.
import { allocate, reallocate } from './rips_buffers';

/** Simplex indices a key can hold: the index takes the key's low 32 bits. */
export const KEY_INDEX_LIMIT: i64 = 0xffffffff;

/**
 * A key later than every entry: the head of an exhausted stream, and the key of a candidate cofacet beyond
 * the threshold (cofacetKeys writes every candidate, so that it can write four at a time).
 */
export const NO_KEY: u64 = 0x7fffffffffffffff;
/** A stream is sorted once it has been advanced this many times, so no stream costs more than a sort. */
const SORT_AFTER: i32 = 8;

// A key orders like the filtration: by diameter (non-negative f32 bits order like the values), then the
// larger index first, so the smallest key is the earliest entry.
export function columnKey(diameter: f32, index: i64): u64 {
  return ((<u64>reinterpret<u32>(diameter)) << 32) | (<u64>(<u32>0xffffffff - <u32>index));
}

export function keyIndex(key: u64): i64 {
  return <i64>(<u32>0xffffffff - <u32>key);
}

export function keyDiameter(key: u64): f32 {
  return reinterpret<f32>(<u32>(key >> 32));
}

export class StreamColumn {
  keys: usize = 0; // every stream's keys, stream after stream
  keyLength: i32 = 0;
  keyCapacity: i32 = 1024;
  // per stream: its unread keys at [begin, end), the earliest first; how often it was advanced; that key
  begin: usize = 0;
  end: usize = 0;
  advances: usize = 0;
  head: usize = 0;
  streams: i32 = 0;
  streamCapacity: i32 = 64;
  heap: usize = 0; // stream numbers, a binary heap on their head keys
  topIndex: i64 = -1;
  topDiameter: f32 = 0;

  constructor() {
    this.keys = allocate((<usize>this.keyCapacity) << 3);
    this.allocateStreams();
  }

  clear(): void {
    this.keyLength = 0;
    this.streams = 0;
  }

  /** Address where the next stream's keys go, with room for `count` of them. */
  reserve(count: i32): usize {
    if (this.keyLength + count > this.keyCapacity) {
      let capacity = this.keyCapacity << 1;
      while (this.keyLength + count > capacity) capacity <<= 1;
      this.keys = reallocate(this.keys, (<usize>this.keyCapacity) << 3, (<usize>capacity) << 3);
      this.keyCapacity = capacity;
    }
    return this.keys + ((<usize>this.keyLength) << 3);
  }

  /**
   * Adds the `count` keys written at `reserve`'s address as a stream (over Z/2, to the column); returns the
   * earliest of them (NO_KEY if none).
   */
  commit(count: i32): u64 {
    if (count == 0) return NO_KEY;
    if (this.streams == this.streamCapacity) this.growStreams();
    const s = this.streams++;
    const b = this.keyLength;
    this.keyLength += count;
    store<i32>(this.begin + ((<usize>s) << 2), b);
    store<i32>(this.end + ((<usize>s) << 2), b + count);
    store<i32>(this.advances + ((<usize>s) << 2), 0);
    const key = this.moveEarliestFirst(b, b + count);
    store<u64>(this.head + ((<usize>s) << 3), key);
    // sift the new stream up the heap
    let child = s;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      const above = load<i32>(this.heap + ((<usize>parent) << 2));
      if (this.headKey(above) <= key) break;
      store<i32>(this.heap + ((<usize>child) << 2), above);
      child = parent;
    }
    store<i32>(this.heap + ((<usize>child) << 2), s);
    return key;
  }

  /** Finds the earliest entry (in topIndex/topDiameter), leaving it in the column; false if none. */
  pivot(): bool {
    const heap = this.heap;
    const count = this.streams;
    while (count > 0) {
      const first = load<i32>(heap);
      const key = this.headKey(first);
      if (key == NO_KEY) break;
      // the second-earliest head sits at one of the root's children
      let twin = 0;
      if (count > 1 && this.headKey(load<i32>(heap, 4)) == key) twin = 1;
      else if (count > 2 && this.headKey(load<i32>(heap, 8)) == key) twin = 2;
      if (twin == 0) {
        this.topIndex = keyIndex(key);
        this.topDiameter = keyDiameter(key);
        return true;
      }
      // a pair of equal entries cancels over Z/2: advance both streams past it
      this.advance(load<i32>(heap + ((<usize>twin) << 2)));
      this.siftDown(twin);
      this.advance(first);
      this.siftDown(0);
    }
    this.topIndex = -1;
    return false;
  }

  // @ts-ignore: decorator
  @inline private headKey(s: i32): u64 {
    return load<u64>(this.head + ((<usize>s) << 3));
  }

  /** Drops stream s's earliest key and brings the next one forward (NO_KEY when none is left). */
  private advance(s: i32): void {
    const b = load<i32>(this.begin + ((<usize>s) << 2)) + 1;
    const e = load<i32>(this.end + ((<usize>s) << 2));
    store<i32>(this.begin + ((<usize>s) << 2), b);
    if (b == e) {
      store<u64>(this.head + ((<usize>s) << 3), NO_KEY);
      return;
    }
    const advances = load<i32>(this.advances + ((<usize>s) << 2)) + 1;
    store<i32>(this.advances + ((<usize>s) << 2), advances);
    let key: u64;
    if (advances < SORT_AFTER) key = this.moveEarliestFirst(b, e);
    else {
      if (advances == SORT_AFTER) this.sort(b, e);
      key = load<u64>(this.keys + ((<usize>b) << 3));
    }
    store<u64>(this.head + ((<usize>s) << 3), key);
  }

  /** Swaps the smallest key of [b, e) to position b and returns it. */
  private moveEarliestFirst(b: i32, e: i32): u64 {
    const keys = this.keys;
    // the smallest value two at a time (keys stay below 2^63, so signed comparison orders them), then
    // where it is
    let smallest = i64x2.splat(<i64>NO_KEY);
    let i = b;
    for (; i + 2 <= e; i += 2) {
      const pair = v128.load(keys + ((<usize>i) << 3));
      smallest = v128.bitselect(pair, smallest, i64x2.lt_s(pair, smallest));
    }
    let bestKey = min(<u64>i64x2.extract_lane(smallest, 0), <u64>i64x2.extract_lane(smallest, 1));
    if (i < e) bestKey = min(bestKey, load<u64>(keys + ((<usize>i) << 3)));
    if (bestKey == NO_KEY) return NO_KEY; // nothing left within the threshold
    let best = b;
    while (load<u64>(keys + ((<usize>best) << 3)) != bestKey) best++;
    if (best != b) {
      store<u64>(keys + ((<usize>best) << 3), load<u64>(keys + ((<usize>b) << 3)));
      store<u64>(keys + ((<usize>b) << 3), bestKey);
    }
    return bestKey;
  }

  /** Sorts [b, e) ascending (insertion sort: coboundaries of small complexes are short). */
  private sort(b: i32, e: i32): void {
    const keys = this.keys;
    for (let i = b + 1; i < e; i++) {
      const key = load<u64>(keys + ((<usize>i) << 3));
      let j = i - 1;
      for (; j >= b && load<u64>(keys + ((<usize>j) << 3)) > key; j--) {
        store<u64>(keys + ((<usize>(j + 1)) << 3), load<u64>(keys + ((<usize>j) << 3)));
      }
      store<u64>(keys + ((<usize>(j + 1)) << 3), key);
    }
  }

  private siftDown(i: i32): void {
    const heap = this.heap;
    const length = this.streams;
    const s = load<i32>(heap + ((<usize>i) << 2));
    const key = this.headKey(s);
    while (true) {
      const left = 2 * i + 1;
      if (left >= length) break;
      let child = left;
      let childStream = load<i32>(heap + ((<usize>left) << 2));
      let childKey = this.headKey(childStream);
      if (left + 1 < length) {
        const right = load<i32>(heap + ((<usize>(left + 1)) << 2));
        const rightKey = this.headKey(right);
        if (rightKey < childKey) {
          child = left + 1;
          childStream = right;
          childKey = rightKey;
        }
      }
      if (key <= childKey) break;
      store<i32>(heap + ((<usize>i) << 2), childStream);
      i = child;
    }
    store<i32>(heap + ((<usize>i) << 2), s);
  }

  private allocateStreams(): void {
    const n = <usize>this.streamCapacity;
    this.begin = allocate(n << 2);
    this.end = allocate(n << 2);
    this.advances = allocate(n << 2);
    this.heap = allocate(n << 2);
    this.head = allocate(n << 3);
  }

  private growStreams(): void {
    const old = <usize>this.streamCapacity;
    const fresh = old << 1;
    this.begin = reallocate(this.begin, old << 2, fresh << 2);
    this.end = reallocate(this.end, old << 2, fresh << 2);
    this.advances = reallocate(this.advances, old << 2, fresh << 2);
    this.heap = reallocate(this.heap, old << 2, fresh << 2);
    this.head = reallocate(this.head, old << 3, fresh << 3);
    this.streamCapacity = <i32>fresh;
  }
}
