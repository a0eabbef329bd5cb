import { describe, expect, it } from 'vitest';
import { checkTransition } from './work-orders.ts';

describe('work-order lifecycle', () => {
  it('allows open → assigned → in progress → done, and cancelling what is unfinished', () => {
    expect(checkTransition('open', 'assigned', 'ana')).toEqual({ ok: true });
    expect(checkTransition('assigned', 'in_progress', null)).toEqual({ ok: true });
    expect(checkTransition('in_progress', 'done', null)).toEqual({ ok: true });
    for (const from of ['open', 'assigned', 'in_progress'] as const) {
      expect(checkTransition(from, 'cancelled', null).ok).toBe(true);
    }
    expect(checkTransition('in_progress', 'assigned', 'bo').ok).toBe(true);
  });

  it('refuses skipped steps and leaving a final state with 409, naming the allowed ones', () => {
    expect(checkTransition('open', 'in_progress', null)).toEqual({
      ok: false,
      status: 409,
      reason: 'a work order cannot go from open to in_progress; from open it can go to assigned, cancelled',
    });
    expect(checkTransition('done', 'open', null)).toMatchObject({
      status: 409,
      reason: 'a work order cannot go from done to open',
    });
    expect(checkTransition('cancelled', 'done', null)).toMatchObject({ status: 409 });
  });

  it('needs an assignee to assign', () => {
    expect(checkTransition('open', 'assigned', null)).toMatchObject({ status: 400, field: 'body.assignee' });
  });
});
