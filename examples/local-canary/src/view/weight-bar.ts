/**
 * `v1 ██████████████░░░░░░ v2` for a canary weight: one cell per
 * `100 / width` percent, stable's share on the left.
 */
export function weightBar(input: { canaryWeight: number; stable: string; canary: string; width?: number }): string {
  const width = input.width ?? 40;
  const canaryCells = Math.round((Math.min(100, Math.max(0, input.canaryWeight)) / 100) * width);
  const bar = '█'.repeat(width - canaryCells) + '░'.repeat(canaryCells);
  return `${input.stable} ${bar} ${input.canary}  ${100 - input.canaryWeight}/${input.canaryWeight}`;
}
