// Helpers for the keyboard shortcuts: keys typed into a field belong to the field.
export function isEditable(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (target.isContentEditable) return true;
  if (target instanceof HTMLTextAreaElement || target instanceof HTMLSelectElement) return true;
  if (target instanceof HTMLInputElement) {
    return !['button', 'checkbox', 'radio', 'submit', 'reset', 'file', 'range', 'color'].includes(target.type);
  }
  return false;
}

/** Keys like Enter and the arrows mean something on buttons, links and selects: only take them from the page. */
export function isInteractive(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  return isEditable(target) || Boolean(target.closest('button, a[href], select, summary, [role="button"]'));
}
