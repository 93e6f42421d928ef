import { useEffect, useEffectEvent } from 'react';

/**
 * Runs `handler` on Ctrl+key (Cmd+key on macOS) anywhere in the page, the editor included: the
 * listener runs in the capture phase, before Monaco's own bindings.
 */
export function useShortcut(key: 'Enter' | 's', handler: () => void, enabled = true): void {
  const onShortcut = useEffectEvent(handler);
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent): void => {
      if (!(event.ctrlKey || event.metaKey) || event.altKey || event.shiftKey) return;
      if (event.key.toLowerCase() !== key.toLowerCase()) return;
      event.preventDefault();
      event.stopPropagation();
      onShortcut();
    };
    window.addEventListener('keydown', onKeyDown, true);
    return () => window.removeEventListener('keydown', onKeyDown, true);
  }, [key, enabled]);
}
