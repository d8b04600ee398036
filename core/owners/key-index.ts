// Duplicate detection over a million rows must not keep a million strings: this index keeps a 64-bit hash of each
// key and a number, in typed arrays (12 bytes a slot). Two different keys share a hash with probability about
// n²/2^65 (3·10^-8 for a million rows); such a clash would show as a false duplicate naming both lines, never as a
// missed one.

/** Map from string keys to non-negative integers, storing only a 64-bit hash of each key. */
export class KeyIndex {
  // One array, three numbers a slot (hash high, hash low, value; value -1 when free), so that a probe touches one
  // place in memory instead of three arrays.
  #slots = newSlots(1024);
  #mask = 1023;
  #size = 0;

  get size(): number {
    return this.#size;
  }

  /** The value stored for `key`, or undefined. */
  get(key: string): number | undefined {
    hash64(key);
    const v = this.#slots[this.#find(pair[0], pair[1]) + 2];
    return v < 0 ? undefined : v;
  }

  /** Stores `value` (0 … 2^31-1) for `key` unless it is already there; returns the value already stored, if any. */
  setIfAbsent(key: string, value: number): number | undefined {
    hash64(key);
    const hi = pair[0];
    const lo = pair[1];
    const at = this.#find(hi, lo);
    const slots = this.#slots;
    const existing = slots[at + 2];
    if (existing >= 0) return existing;
    slots[at] = hi;
    slots[at + 1] = lo;
    slots[at + 2] = value;
    this.#size++;
    if (this.#size * 2 > this.#mask + 1) this.#grow();
    return undefined;
  }

  // The offset in #slots of the slot holding (hi, lo), or of the free slot where it belongs.
  #find(hi: number, lo: number): number {
    const slots = this.#slots;
    const mask = this.#mask;
    let slot = (lo ^ hi) & mask;
    for (;;) {
      const at = slot * 3;
      if (slots[at + 2] < 0 || (slots[at] === hi && slots[at + 1] === lo)) return at;
      slot = (slot + 1) & mask;
    }
  }

  #grow(): void {
    const old = this.#slots;
    const capacity = (this.#mask + 1) * 2;
    this.#slots = newSlots(capacity);
    this.#mask = capacity - 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] < 0) continue;
      const to = this.#find(old[at], old[at + 1]);
      this.#slots[to] = old[at];
      this.#slots[to + 1] = old[at + 1];
      this.#slots[to + 2] = old[at + 2];
    }
  }
}

function newSlots(capacity: number): Int32Array {
  const slots = new Int32Array(capacity * 3);
  for (let at = 2; at < slots.length; at += 3) slots[at] = -1;
  return slots;
}

// Both halves of the last hash: typed, so storing them never boxes a number.
const pair = new Int32Array(2);

// Two independent 32-bit multiplicative hashes (murmur3-style mixing) over UTF-16 code units, left in `pair`.
function hash64(key: string): void {
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
}
