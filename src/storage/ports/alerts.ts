import type { AlertStatus, AlertView } from '../../domain/types.ts';
import type { ListQuery, Page } from './paging.ts';

/** What a person may do to an active alert: acknowledge it (once: someone is on it) or resolve it. */
export type AlertResponse = 'acknowledge' | 'resolve';

/** Alerts as people see and handle them; the processor raises and clears them through the feature store. */
export interface AlertRepository {
  /** Alerts newest first (by raise time, then id), a page at a time. */
  list(q: ListQuery<AlertStatus>): Promise<Page<AlertView>>;
  /**
   * Acknowledges or resolves an active alert as `actor` at `at` (epoch ms); returns it as stored. Throws
   * NotFoundError for an unknown id, ConflictError when it is resolved already or acknowledged twice.
   */
  respond(id: string, response: AlertResponse, actor: string, at: number): Promise<AlertView>;
}
