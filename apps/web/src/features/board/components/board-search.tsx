import { useEffect, useId, useRef, useState } from 'react';

/** What the API accepts as a search: 2 characters or more, or a case number. */
export function isSearchable(text: string): boolean {
  const t = text.trim();
  return t.length >= 2 || /^\d+$/.test(t);
}

const DEBOUNCE_MS = 300;

/**
 * The board's text search (reference, summary, customer): the field answers every key at once; the board
 * follows 300 ms after the last one, and only with a searchable text (2+ characters or a number), so a
 * half-typed word neither floods the API nor empties the board.
 */
export function BoardSearch({ value, onChange }: { value: string; onChange: (next: string) => void }) {
  const id = useId();
  const [text, setText] = useState(value);
  const latest = useRef(onChange);
  latest.current = onChange;
  // A new value from outside (a saved view, Clear filters, the back button) replaces what is typed.
  useEffect(() => setText(value), [value]);
  useEffect(() => {
    const next = isSearchable(text) ? text.trim() : '';
    if (next === value.trim()) return;
    const timer = setTimeout(() => latest.current(next), DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }, [text, value]);
  return (
    <div className="board-search" role="search">
      <label className="sr-only" htmlFor={`${id}-q`}>
        Search cases
      </label>
      <input
        id={`${id}-q`}
        className="field__input board-search__input"
        type="search"
        value={text}
        maxLength={100}
        placeholder="Search reference, customer, summary"
        aria-describedby={`${id}-hint`}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Escape') setText('');
        }}
      />
      <span id={`${id}-hint`} className="sr-only">
        At least 2 characters, or a case number such as K-1042.
      </span>
    </div>
  );
}
