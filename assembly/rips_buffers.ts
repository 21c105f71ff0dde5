// Memory for the persistent-homology engine: every allocation goes through `allocate`, which charges it to
// a budget set by the host, so a request that would outgrow the budget stops with a clear message instead
// of exhausting the worker. The arena (assembly/memory.ts) frees nothing; the host resets it per call.
//
// An entry is a simplex with its filtration value: (diameter: f32, index: i64), stored in 16 bytes.

export const ENTRY_BYTES: usize = 16;

let budgetBytes: f64 = 1073741824.0;
let usedBytes: f64 = 0;
let failedRequestBytes: f64 = 0;

export function resetBudget(budget: f64): void {
  budgetBytes = budget;
  usedBytes = 0;
  failedRequestBytes = 0;
}

/** Bytes charged so far in this computation (the arena's high-water mark, since nothing is freed). */
export function bytesUsed(): f64 {
  return usedBytes;
}

/** Size of the request that broke the budget (0 if none did). */
export function bytesRefused(): f64 {
  return failedRequestBytes;
}

export function allocate(bytes: usize): usize {
  if (usedBytes + <f64>bytes > budgetBytes || bytes > 0x3ff00000) {
    failedRequestBytes = <f64>bytes;
    abort('memory budget exceeded');
  }
  usedBytes += <f64>bytes;
  return heap.alloc(bytes);
}

/** Grows a block: in place when it is the arena's last one, otherwise by copying (charging the budget). */
export function reallocate(ptr: usize, oldBytes: usize, newBytes: usize): usize {
  if (usedBytes + <f64>newBytes > budgetBytes || newBytes > 0x3ff00000) {
    failedRequestBytes = <f64>newBytes;
    abort('memory budget exceeded');
  }
  const grown = heap.realloc(ptr, newBytes);
  usedBytes += grown == ptr ? <f64>(newBytes - oldBytes) : <f64>newBytes;
  return grown;
}

// --- filtration order -------------------------------------------------------------------------------
// Ripser's order: a simplex enters earlier when its diameter is smaller; among equal diameters the one with
// the larger combinatorial index comes first. The pivot of a coboundary is its earliest cofacet.

export function entersBefore(d1: f32, i1: i64, d2: f32, i2: i64): bool {
  return d1 < d2 || (d1 == d2 && i1 > i2);
}

/** A growable list of entries. */
export class EntryList {
  ptr: usize = 0;
  length: i32 = 0;
  capacity: i32 = 0;

  constructor(capacity: i32) {
    this.capacity = max(capacity, 16);
    this.ptr = allocate(<usize>this.capacity * ENTRY_BYTES);
  }

  // @ts-ignore: decorator
  @inline diameter(i: i32): f32 {
    return load<f32>(this.ptr + <usize>i * ENTRY_BYTES);
  }

  // @ts-ignore: decorator
  @inline index(i: i32): i64 {
    return load<i64>(this.ptr + <usize>i * ENTRY_BYTES, 8);
  }

  // @ts-ignore: decorator
  @inline set(i: i32, diameter: f32, index: i64): void {
    const at = this.ptr + <usize>i * ENTRY_BYTES;
    store<f32>(at, diameter);
    store<i64>(at, index, 8);
  }

  push(diameter: f32, index: i64): void {
    if (this.length == this.capacity) this.grow();
    this.set(this.length++, diameter, index);
  }

  clear(): void {
    this.length = 0;
  }

  /** Makes room for `extra` more entries, so that many `append` calls need no capacity check. */
  reserve(extra: i32): void {
    while (this.length + extra > this.capacity) this.grow();
  }

  // @ts-ignore: decorator
  @inline append(diameter: f32, index: i64): void {
    this.set(this.length++, diameter, index);
  }

  reverse(): void {
    let lo = 0;
    let hi = this.length - 1;
    while (lo < hi) {
      this.swap(lo++, hi--);
    }
  }

  // @ts-ignore: decorator
  @inline swap(a: i32, b: i32): void {
    const pa = this.ptr + <usize>a * ENTRY_BYTES;
    const pb = this.ptr + <usize>b * ENTRY_BYTES;
    const ta = v128.load(pa);
    v128.store(pa, v128.load(pb));
    v128.store(pb, ta);
  }

  private grow(): void {
    const capacity = this.capacity << 1;
    this.ptr = reallocate(this.ptr, <usize>this.capacity * ENTRY_BYTES, <usize>capacity * ENTRY_BYTES);
    this.capacity = capacity;
  }

  /** Sorts into the order columns are reduced in: larger diameter first, ties by smaller index. */
  sortForReduction(): void {
    this.quicksort(0, this.length - 1);
  }

  // @ts-ignore: decorator
  @inline private reducedBefore(a: i32, b: i32): bool {
    const da = this.diameter(a);
    const db = this.diameter(b);
    return da > db || (da == db && this.index(a) < this.index(b));
  }

  private quicksort(lo: i32, hi: i32): void {
    while (hi - lo > 16) {
      // median of three moved to `hi`, then Lomuto partition around it
      const mid = lo + ((hi - lo) >> 1);
      if (this.reducedBefore(mid, lo)) this.swap(mid, lo);
      if (this.reducedBefore(hi, lo)) this.swap(hi, lo);
      if (this.reducedBefore(mid, hi)) this.swap(mid, hi);
      let store = lo;
      for (let i = lo; i < hi; i++) {
        if (this.reducedBefore(i, hi)) this.swap(i, store++);
      }
      this.swap(store, hi);
      // recurse into the smaller side to bound the stack
      if (store - lo < hi - store) {
        this.quicksort(lo, store - 1);
        lo = store + 1;
      } else {
        this.quicksort(store + 1, hi);
        hi = store - 1;
      }
    }
    for (let i = lo + 1; i <= hi; i++) {
      for (let j = i; j > lo && this.reducedBefore(j, j - 1); j--) this.swap(j, j - 1);
    }
  }
}

/**
 * A column under reduction, as a binary heap whose top is the earliest entry. Entries may repeat; over Z/2
 * two equal entries cancel, which `popPivot` accounts for (Ripser's lazy column).
 */
export class EntryHeap extends EntryList {
  topDiameter: f32 = 0;
  topIndex: i64 = -1;

  constructor(capacity: i32) {
    super(capacity);
  }

  // @ts-ignore: decorator
  @inline private earlier(a: i32, b: i32): bool {
    return entersBefore(this.diameter(a), this.index(a), this.diameter(b), this.index(b));
  }

  insert(diameter: f32, index: i64): void {
    this.push(diameter, index);
    this.siftUp(this.length - 1);
  }

  /** Moves entry `child` up to its place; entries appended with `push` are inserted by sifting each up. */
  siftUp(child: i32): void {
    // move the entry up through a hole rather than by swaps
    const entry = v128.load(this.ptr + <usize>child * ENTRY_BYTES);
    const diameter = this.diameter(child);
    const index = this.index(child);
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (!entersBefore(diameter, index, this.diameter(parent), this.index(parent))) break;
      v128.store(this.ptr + <usize>child * ENTRY_BYTES, v128.load(this.ptr + <usize>parent * ENTRY_BYTES));
      child = parent;
    }
    v128.store(this.ptr + <usize>child * ENTRY_BYTES, entry);
  }

  /** Restores the heap order after entries were appended with `push`. */
  heapify(): void {
    for (let i = (this.length >> 1) - 1; i >= 0; i--) this.siftDown(i);
  }

  private siftDown(i: i32): void {
    const length = this.length;
    const entry = v128.load(this.ptr + <usize>i * ENTRY_BYTES);
    const diameter = this.diameter(i);
    const index = this.index(i);
    while (true) {
      const left = 2 * i + 1;
      if (left >= length) break;
      let child = left;
      if (left + 1 < length && this.earlier(left + 1, left)) child = left + 1;
      if (!entersBefore(this.diameter(child), this.index(child), diameter, index)) break;
      v128.store(this.ptr + <usize>i * ENTRY_BYTES, v128.load(this.ptr + <usize>child * ENTRY_BYTES));
      i = child;
    }
    v128.store(this.ptr + <usize>i * ENTRY_BYTES, entry);
  }

  private removeTop(): void {
    const last = --this.length;
    if (last > 0) {
      v128.store(this.ptr, v128.load(this.ptr + <usize>last * ENTRY_BYTES));
      this.siftDown(0);
    }
  }

  /** Removes and returns (in topDiameter/topIndex) the earliest entry that does not cancel; false if none. */
  popPivot(): bool {
    while (this.length > 0) {
      const diameter = this.diameter(0);
      const index = this.index(0);
      this.removeTop();
      if (this.length == 0 || this.index(0) != index) {
        this.topDiameter = diameter;
        this.topIndex = index;
        return true;
      }
      this.removeTop(); // a pair of equal entries: they cancel over Z/2
    }
    this.topIndex = -1;
    return false;
  }

  /**
   * Drops cancelling pairs of equal entries, so a long reduction does not let the lazy column grow without
   * bound: sorted earliest first, which is also a valid heap.
   */
  compact(): void {
    this.sortForReduction();
    this.reverse();
    const length = this.length;
    let kept = 0;
    let i = 0;
    while (i < length) {
      const index = this.index(i);
      let j = i + 1;
      while (j < length && this.index(j) == index) j++;
      if ((j - i) & 1) {
        if (kept != i) this.set(kept, this.diameter(i), index);
        kept++;
      }
      i = j;
    }
    this.length = kept;
  }

  /**
   * Like popPivot, but leaves the pivot in the column. A copy of the top entry, if any, sits at one of the
   * root's children (the second-earliest entry), so cancelling pairs are found without popping the pivot.
   */
  pivot(): bool {
    while (this.length > 0) {
      const index = this.index(0);
      const cancels = (this.length > 1 && this.index(1) == index) || (this.length > 2 && this.index(2) == index);
      if (!cancels) {
        this.topDiameter = this.diameter(0);
        this.topIndex = index;
        return true;
      }
      this.removeTop();
      this.removeTop(); // the copy is now on top: over Z/2 the pair cancels
    }
    this.topIndex = -1;
    return false;
  }
}

/** Hash map from a pivot (simplex index) to the column that has it: open addressing, linear probing. */
export class PivotMap {
  keys: usize = 0;
  values: usize = 0;
  shift: u64 = 0;
  mask: u32 = 0;
  size: i32 = 0;

  constructor(expected: i32) {
    let bits: u32 = 4;
    while ((<u64>1) << bits < <u64>expected * 2) bits++;
    const capacity: usize = (<usize>1) << bits;
    this.keys = allocate(capacity << 3);
    this.values = allocate(capacity << 2);
    memory.fill(this.keys, 0xff, capacity << 3); // every key -1: empty
    this.shift = 64 - <u64>bits;
    this.mask = <u32>capacity - 1;
  }

  // @ts-ignore: decorator
  @inline private slot(key: i64): u32 {
    return <u32>((<u64>key * 0x9e3779b97f4a7c15) >> this.shift);
  }

  /** The column whose pivot is `key`, or -1. */
  get(key: i64): i32 {
    let s = this.slot(key);
    while (true) {
      const k = load<i64>(this.keys + ((<usize>s) << 3));
      if (k == key) return load<i32>(this.values + ((<usize>s) << 2));
      if (k == -1) return -1;
      s = (s + 1) & this.mask;
    }
  }

  /** Records a new pivot; the map was sized for every column, so it never fills. */
  insert(key: i64, column: i32): void {
    let s = this.slot(key);
    while (load<i64>(this.keys + ((<usize>s) << 3)) != -1) s = (s + 1) & this.mask;
    store<i64>(this.keys + ((<usize>s) << 3), key);
    store<i32>(this.values + ((<usize>s) << 2), column);
    this.size++;
  }
}

/** A growable array of i32 (column offsets, cocycle edges, output records). */
export class IntList {
  ptr: usize = 0;
  length: i32 = 0;
  capacity: i32 = 0;

  constructor(capacity: i32) {
    this.capacity = max(capacity, 16);
    this.ptr = allocate((<usize>this.capacity) << 2);
  }

  // @ts-ignore: decorator
  @inline get(i: i32): i32 {
    return load<i32>(this.ptr + ((<usize>i) << 2));
  }

  push(value: i32): void {
    if (this.length == this.capacity) {
      const capacity = this.capacity << 1;
      this.ptr = reallocate(this.ptr, (<usize>this.capacity) << 2, (<usize>capacity) << 2);
      this.capacity = capacity;
    }
    store<i32>(this.ptr + ((<usize>this.length) << 2), value);
    this.length++;
  }

  pushF32(value: f32): void {
    this.push(reinterpret<i32>(value));
  }
}

/**
 * Sorts `count` u64 keys ascending: least-significant-digit radix sort on 11-bit digits, skipping digits
 * that every key shares; insertion sort for short arrays.
 */
export function sortKeys(keys: usize, count: i32): void {
  if (count < 48) {
    for (let i = 1; i < count; i++) {
      const key = load<u64>(keys + ((<usize>i) << 3));
      let j = i - 1;
      for (; j >= 0 && load<u64>(keys + ((<usize>j) << 3)) > key; j--) {
        store<u64>(keys + ((<usize>(j + 1)) << 3), load<u64>(keys + ((<usize>j) << 3)));
      }
      store<u64>(keys + ((<usize>(j + 1)) << 3), key);
    }
    return;
  }
  const buckets: usize = 2048;
  const counts = allocate(buckets << 2);
  let from = keys;
  let to = allocate((<usize>count) << 3);
  for (let shift: u64 = 0; shift < 64; shift += 11) {
    memory.fill(counts, 0, buckets << 2);
    for (let i = 0; i < count; i++) {
      const digit = <usize>((load<u64>(from + ((<usize>i) << 3)) >> shift) & 2047);
      store<i32>(counts + (digit << 2), load<i32>(counts + (digit << 2)) + 1);
    }
    const first = <usize>((load<u64>(from) >> shift) & 2047);
    if (load<i32>(counts + (first << 2)) == count) continue; // every key has this digit
    let offset = 0;
    for (let b: usize = 0; b < buckets; b++) {
      const c = load<i32>(counts + (b << 2));
      store<i32>(counts + (b << 2), offset);
      offset += c;
    }
    for (let i = 0; i < count; i++) {
      const key = load<u64>(from + ((<usize>i) << 3));
      const digit = <usize>((key >> shift) & 2047);
      const at = load<i32>(counts + (digit << 2));
      store<i32>(counts + (digit << 2), at + 1);
      store<u64>(to + ((<usize>at) << 3), key);
    }
    const swap = from;
    from = to;
    to = swap;
  }
  if (from != keys) memory.copy(keys, from, (<usize>count) << 3);
}
