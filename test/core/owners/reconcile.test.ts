import { describe, it, expect } from 'vitest';
import type { Owner } from '../../../core/owners/owner';
import { reconcile, ReconcileError } from '../../../core/owners/reconcile';

const owner = (n: number, extra: Partial<Owner> = {}): Owner => ({ id: `id-${n}`, email: `user${n}@example.com`, source: 'ldap', ...extra });
const many = (count: number): Owner[] => Array.from({ length: count }, (_, i) => owner(i));

describe('reconcile', () => {
  it('sorts owners into create, update (with the changed fields), disable and unchanged', () => {
    const previous = [owner(1), owner(2, { displayName: 'Two' }), owner(3), ...many(40).slice(10)];
    const desired = [owner(1), owner(2, { displayName: 'Deux', groups: ['a'] }), owner(4), ...many(40).slice(10)];
    const plan = reconcile(previous, desired);
    const byId = new Map(plan.actions.map((a) => [a.id, a]));
    expect(byId.get('id-1')?.kind).toBe('unchanged');
    expect(byId.get('id-4')?.kind).toBe('create');
    const update = byId.get('id-2');
    expect(update?.kind).toBe('update');
    if (update?.kind === 'update') {
      expect(update.changes.map((c) => c.field).sort()).toEqual(['displayName', 'groups']);
      expect(update.changes.find((c) => c.field === 'displayName')).toMatchObject({ before: 'Two', after: 'Deux' });
    }
    const disable = byId.get('id-3');
    expect(disable).toMatchObject({ kind: 'disable', reason: 'missing', owner: { disabled: true } });
    expect(plan.counts).toEqual({ create: 1, update: 1, disable: 1, unchanged: 31 });
  });

  it('ignores e-mail case, group order and empty lists', () => {
    const plan = reconcile(
      [owner(1, { email: 'User1@Example.com', groups: ['b', 'a'], devices: [] })],
      [owner(1, { groups: ['a', 'b'], attributes: {} })],
    );
    expect(plan.actions[0].kind).toBe('unchanged');
  });

  it('treats an owner disabled in the source as a disable, and a gone owner already disabled as unchanged', () => {
    const previous = [...many(20), owner(100, { disabled: true })];
    const desired = [...many(20).slice(1), owner(0, { disabled: true })];
    const plan = reconcile(previous, desired);
    expect(plan.actions.find((a) => a.id === 'id-0')).toMatchObject({ kind: 'disable', reason: 'disabled-in-source' });
    expect(plan.actions.find((a) => a.id === 'id-100')?.kind).toBe('unchanged');
  });

  it('refuses to disable more than 10% by default, with a typed error', () => {
    const previous = many(100);
    const desired = previous.slice(0, 89);
    let caught: unknown;
    try {
      reconcile(previous, desired);
    } catch (e) {
      caught = e;
    }
    expect(caught).toBeInstanceOf(ReconcileError);
    const detail = (caught as ReconcileError).detail;
    expect(detail).toEqual({ code: 'too-many-disables', disableCount: 11, activeCount: 100, ratio: 0.11, maxDisableRatio: 0.1 });
    expect((caught as Error).message).toMatch(/refusing to disable 11 of 100 owners/);
    expect(reconcile(previous, previous.slice(0, 90)).counts.disable).toBe(10);
  });

  it('never wipes everything on an empty source unless forced', () => {
    const previous = many(5);
    expect(() => reconcile(previous, [])).toThrow(ReconcileError);
    expect(reconcile(previous, [], { force: true }).counts.disable).toBe(5);
    expect(reconcile(previous, previous.slice(0, 2), { maxDisableRatio: 0.6 }).counts.disable).toBe(3);
    expect(reconcile([], many(3)).counts.create).toBe(3);
  });

  it('rejects duplicate ids and a bad ratio', () => {
    expect(() => reconcile([owner(1), owner(1)], [])).toThrow(/appears twice in the previous owners/);
    expect(() => reconcile([], [], { maxDisableRatio: 2 })).toThrow(ReconcileError);
  });
});
