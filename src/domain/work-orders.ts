import type { FaultName } from '../diagnostics/diagnosis.ts';
import { ConflictError, RuleViolationError, ValidationError } from './errors.ts';
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
 * from the current state, ValidationError on `assignee` when assigning names nobody and on `confirmedCause`
 * when a closing lacks a valid finding or another move states one.
 */
export type TransitionCheck = { ok: true } | { ok: false; error: ConflictError | ValidationError };

/**
 * Checks a move: the lifecycle first (ConflictError), then what the move needs: an `assignee` to assign, a
 * `confirmedCause` (see checkConfirmedCause) to close as done and on no other move (ValidationError).
 */
export function checkTransition(
  from: WorkOrderStatus,
  to: WorkOrderStatus,
  assignee: string | null,
  confirmedCause: string | null = null,
): TransitionCheck {
  if (!next[from].includes(to)) {
    const allowed = next[from].length > 0 ? `; from ${from} it can go to ${next[from].join(', ')}` : '';
    return { ok: false, error: new ConflictError(`a work order cannot go from ${from} to ${to}${allowed}`) };
  }
  if (to === 'assigned' && !assignee) {
    return { ok: false, error: new RuleViolationError('assignee', 'is required to assign a work order') };
  }
  if (to !== 'done' && confirmedCause !== null) {
    return {
      ok: false,
      error: new RuleViolationError(
        'confirmedCause',
        `is stated only when closing a work order (to done), not to ${to}`,
      ),
    };
  }
  if (to === 'done') {
    const refused = checkConfirmedCause(confirmedCause);
    if (refused) return { ok: false, error: refused };
  }
  return { ok: true };
}

/** The finding that closes a work order as healthy: the alert was a false alarm. */
export const NO_FAULT_FOUND = 'no-fault-found';
/** Prefix of a cause outside the named faults, stated in words (`other:worn belt`). */
export const OTHER_CAUSE_PREFIX = 'other:';
/** Longest text after `other:`, in characters: a short cause, not a report (the note holds that). */
export const OTHER_CAUSE_MAX_CHARS = 100;

// A Record over FaultName: the compiler insists on every fault vibration diagnosis can name.
const faultTitles: Record<FaultName, string> = {
  'outer-race': 'Outer-race defect',
  'inner-race': 'Inner-race defect',
  'rolling-element': 'Rolling-element defect',
  cage: 'Cage defect',
  imbalance: 'Imbalance',
  misalignment: 'Misalignment',
  looseness: 'Looseness',
};

/** The named faults a finding may confirm, as vibration diagnosis names them (diagnostics/diagnosis.ts). */
export const CONFIRMED_FAULTS = Object.keys(faultTitles) as FaultName[];

/** What closing a work order found: a named fault, another cause in words, or no fault. */
export type ConfirmedCause = FaultName | typeof NO_FAULT_FOUND | `${typeof OTHER_CAUSE_PREFIX}${string}`;

/** Every finding a closing may state, with its title for people (`other:` stands for any text). */
export const CONFIRMED_CAUSE_CHOICES: readonly { value: string; title: string }[] = [
  ...CONFIRMED_FAULTS.map((value) => ({ value, title: faultTitles[value] })),
  { value: OTHER_CAUSE_PREFIX, title: 'Other cause (in words)' },
  { value: NO_FAULT_FOUND, title: 'No fault found' },
];

const allowed = `one of ${[...CONFIRMED_FAULTS, NO_FAULT_FOUND].join(', ')}, or ${OTHER_CAUSE_PREFIX}<text> (1–${OTHER_CAUSE_MAX_CHARS} printable characters)`;
// No control, format, private-use or unassigned characters (Unicode general category C), no edge spaces.
const printable = /^[^\p{C}\s](?:[^\p{C}]*[^\p{C}\s])?$/u;

/**
 * Null when `value` is a finding a done work order may carry, else the ValidationError on `confirmedCause`
 * that names the allowed values: a named fault, `no-fault-found`, or `other:` followed by 1 to
 * OTHER_CAUSE_MAX_CHARS printable characters without leading or trailing space. Null and undefined stand for
 * no finding stated ("is required"); any other non-string is refused as such, never read as its text.
 */
export function checkConfirmedCause(value: unknown): ValidationError | null {
  if (value === null || value === undefined) {
    return new RuleViolationError('confirmedCause', `is required to close a work order: ${allowed}`);
  }
  if (typeof value !== 'string') {
    return new ValidationError('confirmedCause', `must be a string: ${allowed}`);
  }
  if (value === NO_FAULT_FOUND || (CONFIRMED_FAULTS as string[]).includes(value)) return null;
  if (value.startsWith(OTHER_CAUSE_PREFIX)) {
    const text = value.slice(OTHER_CAUSE_PREFIX.length);
    if ([...text].length <= OTHER_CAUSE_MAX_CHARS && printable.test(text)) return null;
  }
  return new ValidationError(
    'confirmedCause',
    `${JSON.stringify(value)} is not a finding: must be ${allowed}`,
  );
}
