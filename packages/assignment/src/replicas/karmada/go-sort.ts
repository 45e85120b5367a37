/**
 * The order Go's `sort.Sort` leaves equal elements in.
 *
 * Karmada sorts clusters by available replicas with `sort.Sort` (not stable), and the Aggregated
 * division keeps the first clusters of that order, so the placement of ties matters. Go's
 * pattern-defeating quicksort sorts slices of at most 12 elements by plain insertion sort, which
 * keeps equal elements in input order; that is reproduced exactly here. For longer slices Go's
 * quicksort may reorder ties; this function then falls back to a stable sort, which can differ
 * from Go only in the order of clusters with exactly the same available replicas.
 */
export function goSortSort<T>(items: T[], less: (a: T, b: T) => boolean): T[] {
  if (items.length > 12) {
    return items.sort((a, b) => (less(a, b) ? -1 : less(b, a) ? 1 : 0));
  }
  for (let i = 1; i < items.length; i++) {
    for (let j = i; j > 0 && less(items[j]!, items[j - 1]!); j--) {
      const t = items[j]!;
      items[j] = items[j - 1]!;
      items[j - 1] = t;
    }
  }
  return items;
}
