// Duplicate detection over a million rows must not keep a million strings: this index keeps a 64-bit hash of each
// key and a number, in typed arrays (12 bytes a slot). Two different keys share a hash with probability about
// n²/2^65 (3·10^-8 for a million rows); such a clash would show as a false duplicate naming both lines, never as a
// missed one.

/** Map from string keys to non-negative integers, storing only a 64-bit hash of each key. */
export class KeyIndex {
  #hi = new Int32Array(1024);
  #lo = new Int32Array(1024);
  #value = new Int32Array(1024).fill(-1);
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The value stored for `key`, or undefined. */
  get(key: string): number | undefined {
    const [hi, lo] = hash64(key);
    const slot = this.#find(hi, lo);
    const v = this.#value[slot];
    return v < 0 ? undefined : v;
  }

  /** Stores `value` (0 … 2^31-1) for `key` unless it is already there; returns the value already stored, if any. */
  setIfAbsent(key: string, value: number): number | undefined {
    const [hi, lo] = hash64(key);
    const slot = this.#find(hi, lo);
    const existing = this.#value[slot];
    if (existing >= 0) return existing;
    this.#hi[slot] = hi;
    this.#lo[slot] = lo;
    this.#value[slot] = value;
    this.#size++;
    if (this.#size * 2 > this.#value.length) this.#grow();
    return undefined;
  }

  #find(hi: number, lo: number): number {
    const mask = this.#value.length - 1;
    let slot = (lo ^ hi) & mask;
    while (this.#value[slot] >= 0 && (this.#hi[slot] !== hi || this.#lo[slot] !== lo)) slot = (slot + 1) & mask;
    return slot;
  }

  #grow(): void {
    const { length } = this.#value;
    const [hi, lo, value] = [this.#hi, this.#lo, this.#value];
    this.#hi = new Int32Array(length * 2);
    this.#lo = new Int32Array(length * 2);
    this.#value = new Int32Array(length * 2).fill(-1);
    for (let i = 0; i < length; i++) {
      if (value[i] < 0) continue;
      const slot = this.#find(hi[i], lo[i]);
      this.#hi[slot] = hi[i];
      this.#lo[slot] = lo[i];
      this.#value[slot] = value[i];
    }
  }
}

const pair: [number, number] = [0, 0];

// Two independent 32-bit multiplicative hashes (murmur3-style mixing) over UTF-16 code units.
function hash64(key: string): [number, number] {
  let h1 = 0x9747b28c | 0;
  let h2 = 0x85ebca6b | 0;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x5bd1e995);
    h1 ^= h1 >>> 15;
    h2 = Math.imul(h2 ^ c, 0x27d4eb2d);
    h2 ^= h2 >>> 13;
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 0x85ebca6b);
  h1 = Math.imul(h1 ^ (h1 >>> 13), 0xc2b2ae35);
  h1 ^= h1 >>> 16;
  h2 = Math.imul(h2 ^ (h2 >>> 16), 0xcc9e2d51);
  h2 = Math.imul(h2 ^ (h2 >>> 13), 0x1b873593);
  h2 ^= h2 >>> 16;
  pair[0] = h1 ^ key.length;
  pair[1] = h2;
  return pair;
}
