/** What every traffic store shares: the window bound and the cursor format. */
export const DEFAULT_MAX_TRAFFIC_RECORDS = 200_000;
export const MAX_TRAFFIC_PAGE = 5_000;

/** Cursors are the store's sequence number of the last record returned, as text. */
export function parseTrafficCursor(cursor: string | undefined): number {
  if (cursor === undefined) return 0;
  return /^[0-9]{1,15}$/.test(cursor) ? Number(cursor) : 0;
}

export function clampTrafficLimit(limit: number): number {
  return Math.max(1, Math.min(MAX_TRAFFIC_PAGE, Math.floor(limit) || 1));
}
