/**
 * The upper median (element `count >> 1` in ascending order) of a[0 … count), reordering them: Hoare's
 * selection (C. A. R. Hoare, "Algorithm 65: Find", Communications of the ACM 4(7), 1961). Hand-written: sorting
 * each peak's neighbourhood took an eighth of the whole diagnosis of a block.
 */
export function upperMedian(a: Float64Array, count: number): number {
  const k = count >> 1;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const pivot = a[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i] < pivot) i++;
      while (a[j] > pivot) j--;
      if (i <= j) {
        const t = a[i];
        a[i] = a[j];
        a[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k];
}
