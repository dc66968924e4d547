/**
 * The longest delay setTimeout honours (a signed 32-bit count of milliseconds, about 24.8 days);
 * Node fires a longer one at once, with a warning. A timer for a later instant waits this long and
 * is armed again when it fires.
 */
export const MAX_TIMER_MS = 2 ** 31 - 1;
