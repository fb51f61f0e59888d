import { useId } from 'react';
import { SelectField } from '@/components/ui/select-field';
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
      <SelectField className="filters__field" label="Status" value={status} onChange={onStatusChange}>
        {STATUS_FILTERS.map((filter) => (
          <option key={filter.value} value={filter.value}>
            {filter.label}
          </option>
        ))}
      </SelectField>
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
