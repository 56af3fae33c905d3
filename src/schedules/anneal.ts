/**
 * Half-cosine from `start` (at `fraction` 0) to `end` (at `fraction` 1):
 * `end + (start − end) / 2 · (1 + cos(π · fraction))`, PyTorch's `OneCycleLR._annealing_cos` and the
 * curve of SGDR (https://arxiv.org/abs/1608.03983). Fractions past 1 continue the cosine.
 *
 * @param start - value at fraction 0
 * @param end - value at fraction 1
 * @param fraction - position along the curve
 * @example
 * ```ts
 * cosineAnneal(1, 0, 0.5); // 0.5
 * ```
 */
export function cosineAnneal(start: number, end: number, fraction: number): number {
  return end + ((start - end) / 2) * (Math.cos(Math.PI * fraction) + 1);
}

/**
 * Straight line from `start` (at `fraction` 0) to `end` (at `fraction` 1):
 * `start + (end − start) · fraction`, PyTorch's `OneCycleLR._annealing_linear`.
 *
 * @param start - value at fraction 0
 * @param end - value at fraction 1
 * @param fraction - position along the line
 * @example
 * ```ts
 * linearAnneal(1, 0, 0.25); // 0.75
 * ```
 */
export function linearAnneal(start: number, end: number, fraction: number): number {
  return (end - start) * fraction + start;
}
