/** Area under the ROC curve (ties count half). */
export function areaUnderRoc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: labels.length }, (_, index) => index).sort(
    (a, b) => scores[a]! - scores[b]!,
  );
  let rankSum = 0;
  let positives = 0;
  let position = 0;
  while (position < order.length) {
    let end = position;
    while (end + 1 < order.length && scores[order[end + 1]!] === scores[order[position]!]) end++;
    const averageRank = (position + end) / 2 + 1;
    for (let index = position; index <= end; index++) {
      if (labels[order[index]!] === 1) {
        rankSum += averageRank;
        positives++;
      }
    }
    position = end + 1;
  }
  const negatives = order.length - positives;
  if (positives === 0 || negatives === 0) return 0.5;
  return roundTo4((rankSum - (positives * (positives + 1)) / 2) / (positives * negatives));
}

function roundTo4(value: number): number {
  return Math.round(value * 10_000) / 10_000;
}
