/** Keyboard helpers shared by the grid, the viewer and the app's global shortcuts. */

/** Stars from a key: 0–5 on the main row or the number pad, without Ctrl/Cmd/Alt; null otherwise. */
export function ratingFromKey(e: { key: string; ctrlKey: boolean; metaKey: boolean; altKey: boolean }): number | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  return /^[0-5]$/.test(e.key) ? Number(e.key) : null;
}

/** Focus is in a field where keys type text (letters, digits and Space belong to it). */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file'].includes(target.type);
  }
  return target.isContentEditable;
}

/** A modal dialog is open (it makes #root inert): the gallery's keys wait. */
export const modalOpen = (): boolean => document.getElementById('root')?.hasAttribute('inert') ?? false;

/** Ctrl on Windows and Linux, Cmd on macOS. */
export const isMac = (): boolean => /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);
