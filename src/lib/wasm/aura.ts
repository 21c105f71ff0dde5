// Thin host-side wrapper over the one AURA WebAssembly module. Hosts (Node, a browser worker) only
// differ in how they obtain the bytes; see node.ts and browser.ts.

/** The raw exports every engine file in assembly/ contributes to. Engine wrappers add their own typed views. */
export interface AuraExports {
  memory: WebAssembly.Memory;
  resetHeap(): void;
  allocBytes(size: number): number;
  memoryBytes(): number;
  [name: string]: unknown;
}

/** Thrown when the module aborts (an assertion inside the engine); the message comes from the module. */
export class WasmAbort extends Error {
  override name = 'WasmAbort';
}

function readAsString(memory: WebAssembly.Memory, ptr: number): string {
  if (!ptr) return '';
  const bytes = new Uint8Array(memory.buffer);
  const len = new Uint32Array(memory.buffer, ptr - 4, 1)[0] >>> 1;
  let out = '';
  for (let i = 0; i < len; i++) out += String.fromCharCode(bytes[ptr + 2 * i] | (bytes[ptr + 2 * i + 1] << 8));
  return out;
}

export async function instantiateAura(source: BufferSource | WebAssembly.Module): Promise<AuraExports> {
  // The module's memory is known only after instantiation; abort() reads its message from there.
  const state: { memory?: WebAssembly.Memory } = {};
  const imports = {
    env: {
      abort(msg: number, file: number, line: number, column: number) {
        const m = state.memory;
        const text = m ? `${readAsString(m, msg)} at ${readAsString(m, file)}:${line}:${column}` : 'abort';
        throw new WasmAbort(`WebAssembly engine aborted: ${text}`);
      },
    },
  };
  const instance =
    source instanceof WebAssembly.Module
      ? await WebAssembly.instantiate(source, imports)
      : (await WebAssembly.instantiate(source, imports)).instance;
  const exports = instance.exports as unknown as AuraExports;
  state.memory = exports.memory;
  return exports;
}
