import { useEffect } from 'react';

/** Whether a key goes into a field being written in (then it is a letter, not a shortcut): radios and buttons are not. */
export function isTyping(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable || target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  return target instanceof HTMLInputElement && !['radio', 'checkbox', 'button', 'submit', 'reset'].includes(target.type);
}

/**
 * Keyboard shortcuts of a screen, by `KeyboardEvent.key`, while it is shown: not while one types in a field, nor with
 * Ctrl, Alt or Meta held (those are the browser's). A key that is a shortcut does nothing else.
 */
export function useShortcuts(shortcuts: Record<string, () => void>): void {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || event.ctrlKey || event.metaKey || event.altKey) return;
      // Enter on a focused button, link or box is that control's own: it presses it.
      if (event.key === 'Enter' && (event.target instanceof HTMLButtonElement || event.target instanceof HTMLAnchorElement || event.target instanceof HTMLInputElement)) return;
      const shortcut = shortcuts[event.key];
      if (!shortcut) return;
      event.preventDefault();
      shortcut();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shortcuts]);
}
