import { ConflictError, ValidationError } from './errors.ts';
import type { WorkOrderStatus } from './types.ts';

/**
 * The work-order lifecycle: open → assigned → in progress → done, cancelled from any unfinished state;
 * a technician can hand an order back (assigned → open, in progress → assigned). done and cancelled are final.
 */
const next: Record<WorkOrderStatus, readonly WorkOrderStatus[]> = {
  open: ['assigned', 'cancelled'],
  assigned: ['in_progress', 'open', 'cancelled'],
  in_progress: ['done', 'assigned', 'cancelled'],
  done: [],
  cancelled: [],
};

/**
 * A move the lifecycle allows, or the refusal to raise: ConflictError when the lifecycle forbids the move
 * from the current state, ValidationError on `assignee` when assigning names nobody.
 */
export type TransitionCheck = { ok: true } | { ok: false; error: ConflictError | ValidationError };

export function checkTransition(
  from: WorkOrderStatus,
  to: WorkOrderStatus,
  assignee: string | null,
): TransitionCheck {
  if (!next[from].includes(to)) {
    const allowed = next[from].length > 0 ? `; from ${from} it can go to ${next[from].join(', ')}` : '';
    return { ok: false, error: new ConflictError(`a work order cannot go from ${from} to ${to}${allowed}`) };
  }
  if (to === 'assigned' && !assignee) {
    return { ok: false, error: new ValidationError('assignee', 'is required to assign a work order') };
  }
  return { ok: true };
}
