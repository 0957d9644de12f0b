/** Exit codes (DESIGN.md "Command line"); the README's table lists the same. */
export const ExitCode = {
  OK: 0,
  /** the run failed (an internal error, or it was interrupted) */
  RUN_FAILED: 1,
  /** invalid input: usage, scenario, collector config, gate expression */
  INVALID_INPUT: 2,
  /** a gate failed */
  GATE_FAILED: 3,
  /** the run is invalid: the generator could not hold the target rate */
  RUN_INVALID: 4,
} as const;

export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];
