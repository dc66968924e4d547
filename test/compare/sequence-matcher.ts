// Python's difflib.SequenceMatcher(None, a, b).ratio(), ported so that the comparison of
// Feedwright with Jekyll needs no Python. The figures issue 10 sets ("within 5% of Jekyll's:
// SequenceMatcher ratio >= 0.95") are defined by this exact function, so the port keeps its
// quirks: the elements are Unicode code points (a Python str), and the "autojunk" heuristic
// is on, so in a second string of 200 code points or more every element that occurs more than
// len(b) // 100 + 1 times is left out of the index the longest-match search starts from
// (difflib.py, SequenceMatcher.__chain_b). test/compare/sequence-matcher.test.ts replays a
// corpus whose ratios Python itself computed.

/**
 * difflib.SequenceMatcher(None, a, b).ratio(): 2 * M / T, where T is the number of code points
 * in both strings and M the number in the matching blocks; 1 when both are empty.
 */
export function sequenceMatcherRatio(a: string, b: string): number {
  const first = Array.from(a);
  const second = Array.from(b);
  const total = first.length + second.length;
  if (total === 0) return 1;
  return (2 * matchingCodePoints(first, second)) / total;
}

/**
 * The sum of the sizes of SequenceMatcher.get_matching_blocks(). Merging adjacent blocks, as
 * get_matching_blocks does afterwards, does not change the sum, and each range is searched
 * independently of the others, so the order the ranges are taken in does not matter either.
 */
function matchingCodePoints(a: readonly string[], b: readonly string[]): number {
  const indexOfB = chainB(b);
  let matched = 0;
  const ranges: [number, number, number, number][] = [[0, a.length, 0, b.length]];
  for (let range = ranges.pop(); range !== undefined; range = ranges.pop()) {
    const [aLow, aHigh, bLow, bHigh] = range;
    const [i, j, size] = findLongestMatch(a, b, indexOfB, aLow, aHigh, bLow, bHigh);
    if (size === 0) continue;
    matched += size;
    if (aLow < i && bLow < j) ranges.push([aLow, i, bLow, j]);
    if (i + size < aHigh && j + size < bHigh) ranges.push([i + size, aHigh, j + size, bHigh]);
  }
  return matched;
}

/** SequenceMatcher.__chain_b with isjunk=None and autojunk=True: element -> its indices in b, ascending. */
function chainB(b: readonly string[]): Map<string, number[]> {
  const indexOfB = new Map<string, number[]>();
  b.forEach((element, index) => {
    const indices = indexOfB.get(element);
    if (indices) indices.push(index);
    else indexOfB.set(element, [index]);
  });
  if (b.length >= 200) {
    const popularAbove = Math.floor(b.length / 100) + 1;
    for (const [element, indices] of indexOfB) {
      if (indices.length > popularAbove) indexOfB.delete(element);
    }
  }
  return indexOfB;
}

const NO_INDICES: readonly number[] = [];

/**
 * SequenceMatcher.find_longest_match(alo, ahi, blo, bhi) without junk: the longest block of
 * a[aLow:aHigh] equal to one in b[bLow:bHigh], the earliest in a, then in b, among the longest,
 * found through the popular-free index and then extended over equal neighbours (popular
 * elements included, as Python's extension loops test only isbjunk). Returns [i, j, size].
 */
function findLongestMatch(
  a: readonly string[],
  b: readonly string[],
  indexOfB: ReadonlyMap<string, readonly number[]>,
  aLow: number,
  aHigh: number,
  bLow: number,
  bHigh: number,
): [number, number, number] {
  let bestI = aLow;
  let bestJ = bLow;
  let bestSize = 0;
  // lengthEndingAt.get(j): length of the longest match ending with a[i - 1] and b[j]
  let lengthEndingAt = new Map<number, number>();
  for (let i = aLow; i < aHigh; i++) {
    const next = new Map<number, number>();
    for (const j of indexOfB.get(a[i]!) ?? NO_INDICES) {
      if (j < bLow) continue;
      if (j >= bHigh) break;
      const size = (lengthEndingAt.get(j - 1) ?? 0) + 1;
      next.set(j, size);
      if (size > bestSize) {
        bestI = i - size + 1;
        bestJ = j - size + 1;
        bestSize = size;
      }
    }
    lengthEndingAt = next;
  }
  while (bestI > aLow && bestJ > bLow && a[bestI - 1] === b[bestJ - 1]) {
    bestI--;
    bestJ--;
    bestSize++;
  }
  while (bestI + bestSize < aHigh && bestJ + bestSize < bHigh && a[bestI + bestSize] === b[bestJ + bestSize]) {
    bestSize++;
  }
  return [bestI, bestJ, bestSize];
}
