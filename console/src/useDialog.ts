import { useCallback, useState } from 'react';

/**
 * A dialog about one thing (a list, a colleague). Closing keeps the thing while Mantine fades the
 * dialog out, so its title and body do not go blank on the way.
 */
export function useDialog<T>() {
  const [state, setState] = useState<{ subject?: T; opened: boolean }>({ opened: false });
  const open = useCallback((subject: T) => setState({ subject, opened: true }), []);
  const close = useCallback(() => setState((s) => ({ ...s, opened: false })), []);
  return { subject: state.subject, opened: state.opened, open, close };
}
