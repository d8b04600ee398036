// Mocha's globals as typed imports (the repo's tsconfig only knows Node's types), a few
// assertions without a library, and fixtures that clean up after themselves.

type Fn = (this: unknown) => void | Promise<void>;
interface Mocha {
  describe(name: string, fn: () => void): void;
  it(name: string, fn: Fn): void;
  beforeEach(fn: Fn): void;
  afterEach(fn: Fn): void;
  before(fn: Fn): void;
  after(fn: Fn): void;
}
const g = globalThis as unknown as Mocha;
export const describe = (name: string, fn: () => void): void => g.describe(name, fn);
export const it = (name: string, fn: Fn): void => g.it(name, fn);
export const beforeEach = (fn: Fn): void => g.beforeEach(fn);
export const afterEach = (fn: Fn): void => g.afterEach(fn);
export const before = (fn: Fn): void => g.before(fn);
export const after = (fn: Fn): void => g.after(fn);

export function assert(cond: unknown, message = 'assertion failed'): asserts cond {
  if (!cond) throw new Error(message);
}

export function equal<T>(actual: T, expected: T, message = ''): void {
  if (actual !== expected) throw new Error(`${message ? `${message}: ` : ''}expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

export function deepEqual(actual: unknown, expected: unknown, message = ''): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new Error(`${message ? `${message}: ` : ''}expected ${e}, got ${a}`);
}

const mounted: Element[] = [];

/** Parses `markup`, attaches it to the document and returns its first element once Lit has rendered. */
export async function fixture<T extends Element>(markup: string): Promise<T> {
  const host = document.createElement('div');
  host.innerHTML = markup;
  document.body.append(host);
  mounted.push(host);
  const el = host.firstElementChild as T;
  await settle(host);
  return el;
}

/** Waits until every Lit element under `root` has finished updating. */
export async function settle(root: ParentNode = document.body): Promise<void> {
  for (let i = 0; i < 3; i++) {
    const els = [...root.querySelectorAll('*')].filter((e): e is Element & { updateComplete: Promise<boolean> } => 'updateComplete' in e);
    await Promise.all(els.map((e) => e.updateComplete));
  }
}

export function cleanup(): void {
  for (const el of mounted.splice(0)) el.remove();
}

export const nextFrame = (): Promise<void> => new Promise((r) => requestAnimationFrame(() => r()));

interface AxeResult {
  violations: { id: string; impact: string; help: string; nodes: { target: unknown[]; failureSummary?: string }[] }[];
}
interface Axe {
  run(context: Element | Document, options?: Record<string, unknown>): Promise<AxeResult>;
}

let axeLoaded: Promise<Axe> | undefined;

/** axe-core is a UMD script: load it as a classic script from node_modules, once. */
export function loadAxe(): Promise<Axe> {
  axeLoaded ??= new Promise((resolve, reject) => {
    const s = document.createElement('script');
    s.src = '/node_modules/axe-core/axe.min.js';
    s.onload = () => resolve((window as unknown as { axe: Axe }).axe);
    s.onerror = () => reject(new Error('could not load axe-core'));
    document.head.append(s);
  });
  return axeLoaded;
}

/** Runs axe on `el` and fails with a readable list of violations. */
export async function expectAccessible(el: Element, state: string): Promise<void> {
  const axe = await loadAxe();
  const { violations } = await axe.run(el, { resultTypes: ['violations'] });
  if (violations.length > 0) {
    const lines = violations.map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => `${JSON.stringify(n.target)} ${n.failureSummary ?? ''}`).join('; ')}`);
    throw new Error(`axe found ${violations.length} violation(s) in the ${state} state:\n${lines.join('\n')}`);
  }
}
