/** `mm:ss` for a countdown, `h:mm:ss` from an hour (`1:05:00`, never `65:00`). */
export function formatCountdown(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const mmss = `${two(Math.floor(s / 60) % 60)}:${two(s % 60)}`;
  return s < 3600 ? mmss : `${Math.floor(s / 3600)}:${mmss}`;
}

/**
 * What a countdown announces to assistive technology: the next milestone at or above the seconds left (30 s,
 * 1, 2 and 5 minutes, then every 5 minutes). It changes only when a milestone is crossed, so the announcement is
 * polite and rare rather than once a second. Null once time is up.
 */
export function countdownMilestone(seconds: number): { unit: 'minutes' | 'seconds'; value: number } | null {
  if (seconds <= 0) return null;
  if (seconds <= 30) return { unit: 'seconds', value: 30 };
  for (const minutes of [1, 2, 5]) if (seconds <= minutes * 60) return { unit: 'minutes', value: minutes };
  return { unit: 'minutes', value: Math.ceil(seconds / 300) * 5 };
}
