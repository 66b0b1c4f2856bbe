/**
 * Synthetic national identity numbers as TestID and Skatteetaten issue them: month + 80, valid
 * MOD11 check digits, born 1940–1999, so none can belong to a real person. For test data and the
 * benchmark; `next` is any generator of numbers in [0, 1) (seed it to get the same numbers).
 */
const W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function checkDigit(digits: readonly number[], weights: readonly number[]): number {
  const sum = weights.reduce((acc, w, i) => acc + w * digits[i], 0);
  return (11 - (sum % 11)) % 11;
}

export function syntheticPids(count: number, next: () => number = Math.random): string[] {
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const seen = new Set<string>();
  while (seen.size < count) {
    const base = `${pad(int(1, 28))}${pad(int(1, 12) + 80)}${pad(int(40, 99))}${pad(int(0, 499), 3)}`;
    const digits = [...base].map(Number);
    const first = checkDigit(digits, W1);
    if (first === 10) continue;
    const second = checkDigit([...digits, first], W2);
    if (second === 10) continue;
    seen.add(`${base}${first}${second}`);
  }
  return [...seen];
}
