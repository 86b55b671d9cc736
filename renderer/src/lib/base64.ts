// Base64 of a file's bytes without one giant String.fromCharCode call: the bytes are encoded in slices whose
// length is a multiple of 3 (so the slices' base64 can simply be concatenated), and the loop yields to the
// event loop now and then so a 100 MB file neither overflows the stack nor freezes the window.

/** Bytes per slice: a multiple of 3, and small enough for Function.prototype.apply's argument limit. */
const SLICE_BYTES = 3 * 8192;
/** Slices encoded between two yields to the event loop. */
const SLICES_PER_YIELD = 128;

const nextTask = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

export async function bytesToBase64(bytes: Uint8Array, onProgress?: (fraction: number) => void): Promise<string> {
  const parts: string[] = [];
  let slices = 0;
  for (let start = 0; start < bytes.length; start += SLICE_BYTES) {
    const slice = bytes.subarray(start, Math.min(start + SLICE_BYTES, bytes.length));
    parts.push(btoa(String.fromCharCode.apply(null, slice as unknown as number[])));
    if (++slices % SLICES_PER_YIELD === 0) {
      onProgress?.(start / bytes.length);
      await nextTask();
    }
  }
  onProgress?.(1);
  return parts.join('');
}

export async function fileToBase64(file: File, onProgress?: (fraction: number) => void): Promise<string> {
  const buffer = await file.arrayBuffer();
  return bytesToBase64(new Uint8Array(buffer), onProgress);
}
