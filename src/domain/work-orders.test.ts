import { describe, expect, it } from 'vitest';
import { ConflictError, ValidationError } from './errors.ts';
import { checkTransition } from './work-orders.ts';

describe('work-order lifecycle', () => {
  it('allows open → assigned → in progress → done, and cancelling what is unfinished', () => {
    expect(checkTransition('open', 'assigned', 'ana')).toEqual({ ok: true });
    expect(checkTransition('assigned', 'in_progress', null)).toEqual({ ok: true });
    expect(checkTransition('in_progress', 'done', null, 'outer-race')).toEqual({ ok: true });
    for (const from of ['open', 'assigned', 'in_progress'] as const) {
      expect(checkTransition(from, 'cancelled', null).ok).toBe(true);
    }
    expect(checkTransition('in_progress', 'assigned', 'bo').ok).toBe(true);
  });

  it('refuses skipped steps and leaving a final state as a conflict, naming the allowed moves', () => {
    const skipped = checkTransition('open', 'in_progress', null);
    expect(skipped.ok || skipped.error).toBeInstanceOf(ConflictError);
    expect(skipped.ok || skipped.error.message).toBe(
      'a work order cannot go from open to in_progress; from open it can go to assigned, cancelled',
    );
    const fromDone = checkTransition('done', 'open', null);
    expect(fromDone.ok || [fromDone.error.constructor, fromDone.error.message]).toEqual([
      ConflictError,
      'a work order cannot go from done to open',
    ]);
    const fromCancelled = checkTransition('cancelled', 'done', null);
    expect(fromCancelled.ok || fromCancelled.error).toBeInstanceOf(ConflictError);
  });

  it('refuses assigning to nobody, naming the domain field assignee', () => {
    const check = checkTransition('open', 'assigned', null);
    expect(check.ok || check.error).toBeInstanceOf(ValidationError);
    expect(check.ok || [(check.error as ValidationError).field, check.error.message]).toEqual([
      'assignee',
      'assignee: is required to assign a work order',
    ]);
  });
});
