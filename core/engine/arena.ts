import { bestKernel, jsKernels, wasmKernels, type KernelName, type Kernels } from './kernels.ts';

const PAGE_FLOATS = 65536 / 4;

/**
 * One model's memory: every weight, gradient, optimiser moment and activation, allocated once when the model is
 * built (training then allocates no buffers). Offsets are in floats and 16-byte aligned for the SIMD kernels.
 * `f32` is the current view; read it again after allocating (growing WASM memory replaces the buffer).
 */
export class Arena {
  readonly kernels: Kernels;
  private memory: WebAssembly.Memory | null = null;
  private view: Float32Array;
  private used = 0;

  constructor(kernel: KernelName = bestKernel()) {
    if (kernel === 'js') {
      this.view = new Float32Array(PAGE_FLOATS);
      this.kernels = jsKernels(() => this.view);
    } else {
      this.memory = new WebAssembly.Memory({ initial: 1 });
      this.view = new Float32Array(this.memory.buffer);
      this.kernels = wasmKernels(kernel, this.memory);
    }
  }

  get f32(): Float32Array {
    // A grown WebAssembly.Memory detaches the old buffer (length 0).
    if (this.memory && this.view.buffer !== this.memory.buffer) this.view = new Float32Array(this.memory.buffer);
    return this.view;
  }

  /** Floats in use. */
  get size(): number {
    return this.used;
  }

  /** A zeroed block of n floats; returns its offset. */
  alloc(n: number): number {
    const off = this.used;
    this.used = off + ((Math.max(n, 1) + 3) & ~3);
    const have = this.f32.length;
    if (this.used > have) {
      const pages = Math.ceil((this.used - have) / PAGE_FLOATS);
      if (this.memory) {
        this.memory.grow(pages);
      } else {
        const next = new Float32Array(Math.max(this.used, have * 2) + PAGE_FLOATS);
        next.set(this.view);
        this.view = next;
      }
    }
    return off;
  }

  /** Copies `data` in at `off`. */
  write(off: number, data: ArrayLike<number>): void {
    this.f32.set(data, off);
  }

  /** A copy of n floats at `off`. */
  read(off: number, n: number): Float32Array {
    return this.f32.slice(off, off + n);
  }
}
