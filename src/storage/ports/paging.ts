/** Keyset paging shared by the repositories' newest-first lists. */

/** Keyset position: the last row's time in epoch microseconds (as text: it passes 2^53), and its id for ties. */
export interface PageCursor {
  us: string;
  id: string;
}

/** One page of a newest-first list; `next` is null after the last page. */
export interface Page<T> {
  items: T[];
  next: PageCursor | null;
}

/** A list filtered by asset and status, `limit` items (1–1000) after `after` (the previous page's `next`). */
export interface ListQuery<S> {
  assetId?: string;
  status?: S;
  limit: number;
  /** Where the previous page ended (its `next`); absent for the first page. */
  after?: PageCursor;
}
