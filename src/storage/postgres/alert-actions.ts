import { ConflictError, NotFoundError } from '../../domain/errors.ts';
import type { AlertView } from '../../domain/types.ts';
import type { Database } from '../ports/database.ts';
import { type AlertRow, toAlert } from './maintenance.ts';

export type AlertAction = 'acknowledge' | 'resolve';

/**
 * A person acknowledges an active alert (once) or resolves it. The processor resolves alerts on its own when
 * health recovers; an alert resolved by hand stays resolved, and the processor raises a new one only after its
 * health has recovered and dropped again.
 */
export async function actOnAlert(
  db: Database,
  id: string,
  action: AlertAction,
  actor: string,
  at: number,
): Promise<AlertView> {
  return db.transaction(async (tx) => {
    const [row] = await tx.query<AlertRow>('SELECT * FROM alerts WHERE id = $1 FOR UPDATE', [id]);
    if (!row) throw new NotFoundError(`alert ${id} not found`);
    if (row.status === 'resolved') {
      throw new ConflictError(`alert ${id} is already resolved`);
    }
    if (action === 'acknowledge') {
      if (row.acknowledged_at) {
        throw new ConflictError(`alert ${id} was already acknowledged by ${row.acknowledged_by}`);
      }
      await tx.query('UPDATE alerts SET acknowledged_at = $2, acknowledged_by = $3 WHERE id = $1', [
        id,
        new Date(at),
        actor,
      ]);
    } else {
      await tx.query(
        `UPDATE alerts SET status = 'resolved', resolved_at = $2, resolved_by = $3 WHERE id = $1`,
        [id, new Date(at), actor],
      );
    }
    const [updated] = await tx.query<AlertRow>('SELECT * FROM alerts WHERE id = $1', [id]);
    return toAlert(updated);
  });
}
