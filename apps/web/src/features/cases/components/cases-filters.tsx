import { useId } from 'react';
import { STATUS_FILTERS } from '../status-filters';

export interface CasesFiltersProps {
  status: string;
  onStatusChange: (value: string) => void;
  search: string;
  onSearchChange: (value: string) => void;
  /** Enter in the search box: search now instead of after the pause. */
  onSearchSubmit?: () => void;
}

export function CasesFilters({ status, onStatusChange, search, onSearchChange, onSearchSubmit }: CasesFiltersProps) {
  const id = useId();
  return (
    <form
      role="search"
      aria-label="Filter cases"
      className="filters"
      onSubmit={(event) => {
        event.preventDefault();
        onSearchSubmit?.();
      }}
    >
      <div className="filters__field">
        <label htmlFor={`${id}-status`} className="field__label">
          Status
        </label>
        <select
          id={`${id}-status`}
          className="field__input field__input--select"
          value={status}
          onChange={(event) => onStatusChange(event.target.value)}
        >
          {STATUS_FILTERS.map((filter) => (
            <option key={filter.value} value={filter.value}>
              {filter.label}
            </option>
          ))}
        </select>
      </div>
      <div className="filters__field filters__field--grow">
        <label htmlFor={`${id}-q`} className="field__label">
          Search
        </label>
        <input
          id={`${id}-q`}
          className="field__input"
          type="search"
          placeholder="Reference, customer or summary"
          autoComplete="off"
          spellCheck={false}
          maxLength={200}
          value={search}
          onChange={(event) => onSearchChange(event.target.value)}
        />
      </div>
    </form>
  );
}
