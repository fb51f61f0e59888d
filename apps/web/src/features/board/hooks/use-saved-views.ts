import { useCallback, useState } from 'react';

export interface SavedView {
  name: string;
  /** The board's URL query, e.g. "risk=1&category=Instrument+down". */
  search: string;
}

const STORAGE_KEY = 'kept.board.views';

function read(): SavedView[] {
  try {
    const parsed: unknown = JSON.parse(window.localStorage.getItem(STORAGE_KEY) ?? '[]');
    return Array.isArray(parsed)
      ? parsed.filter((v): v is SavedView => typeof v?.name === 'string' && typeof v?.search === 'string')
      : [];
  } catch {
    return [];
  }
}

function write(views: SavedView[]) {
  try {
    window.localStorage.setItem(STORAGE_KEY, JSON.stringify(views));
  } catch {
    // storage full or disabled: the views live for this page only
  }
}

/** Named board filters kept in this browser (localStorage). Saving a name again replaces that view. */
export function useSavedViews() {
  const [views, setViews] = useState<SavedView[]>(read);
  const save = useCallback((name: string, search: string) => {
    setViews((current) => {
      const next = [...current.filter((v) => v.name !== name), { name, search }].sort((a, b) => a.name.localeCompare(b.name));
      write(next);
      return next;
    });
  }, []);
  const remove = useCallback((name: string) => {
    setViews((current) => {
      const next = current.filter((v) => v.name !== name);
      write(next);
      return next;
    });
  }, []);
  return { views, save, remove };
}
