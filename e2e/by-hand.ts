// Numbers the specs work out themselves, independently of the app's code, to check what the app shows.

/** Pearson's correlation, written out plainly. */
export function pearson(a: number[], b: number[]): number {
  const mean = (v: number[]) => v.reduce((t, x) => t + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let [ab, aa, bb] = [0, 0, 0];
  a.forEach((x, i) => {
    ab += (x - ma) * (b[i] - mb);
    aa += (x - ma) ** 2;
    bb += (b[i] - mb) ** 2;
  });
  return ab / Math.sqrt(aa * bb);
}
