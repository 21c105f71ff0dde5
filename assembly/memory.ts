// Arena memory shared by every engine in the module: a computation starts from an empty heap
// (the host calls resetHeap), allocates as it goes, and frees nothing one by one. Results stay
// readable in linear memory until the next reset.

export function resetHeap(): void {
  heap.reset();
}

export function allocBytes(size: usize): usize {
  return heap.alloc(size);
}

/** Bytes of linear memory currently reserved by the module. */
export function memoryBytes(): f64 {
  return <f64>memory.size() * 65536.0;
}
