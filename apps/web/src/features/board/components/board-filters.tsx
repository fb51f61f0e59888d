import { useId, useState } from 'react';
import type { BoardResponse } from '@kept/contracts';
import { Button } from '@/components/ui/button';
import { SelectField } from '@/components/ui/select-field';
import type { BoardFilters } from '../api/get-board';
import type { SavedView } from '../hooks/use-saved-views';

export interface BoardFiltersBarProps {
  filters: BoardFilters;
  facets: BoardResponse['facets'] | undefined;
  onChange: (next: BoardFilters) => void;
  views: SavedView[];
  currentSearch: string;
  onApplyView: (view: SavedView) => void;
  onSaveView: (name: string) => void;
  onDeleteView: (name: string) => void;
}

const STATUSES = [
  { value: '', label: 'All open' },
  { value: 'open', label: 'Open' },
  { value: 'paused', label: 'Paused' },
  { value: 'fixed', label: 'Fixed, awaiting confirmation' },
];

export function BoardFiltersBar({
  filters,
  facets,
  onChange,
  views,
  currentSearch,
  onApplyView,
  onSaveView,
  onDeleteView,
}: BoardFiltersBarProps) {
  const id = useId();
  const [viewName, setViewName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const active = views.find((v) => v.search === currentSearch);
  const set = (patch: Partial<BoardFilters>) => onChange({ ...filters, ...patch });

  const select = (key: keyof BoardFilters, label: string, options: { value: string; label: string }[]) => (
    <SelectField className="filters__field" label={label} value={filters[key] as string} onChange={(value) => set({ [key]: value })}>
      {options.map((o) => (
        <option key={o.value} value={o.value}>
          {o.label}
        </option>
      ))}
    </SelectField>
  );

  return (
    <div className="board-toolbar">
      <div className="filters" role="group" aria-label="Filter the board">
        {select('status', 'Status', STATUSES)}
        {select('team', 'Team', [
          { value: '', label: 'Any team' },
          ...(facets?.teams ?? []).map((t) => ({ value: t, label: t })),
          // A team from the URL (a shared link) stays selectable even when no engineer is in it now.
          ...(filters.team && !(facets?.teams ?? []).includes(filters.team) ? [{ value: filters.team, label: filters.team }] : []),
        ])}
        {select('engineerId', 'Engineer', [
          { value: '', label: 'Any engineer' },
          ...(facets?.engineers ?? []).map((e) => ({ value: e.id, label: e.name })),
        ])}
        {select('category', 'Category', [
          { value: '', label: 'Any category' },
          ...(facets?.categories ?? []).map((c) => ({ value: c, label: c })),
        ])}
        {select('customerId', 'Customer', [
          { value: '', label: 'Any customer' },
          ...(facets?.customers ?? []).map((c) => ({ value: c.id, label: c.name })),
        ])}
        <div className="filters__field filters__field--check">
          <input
            id={`${id}-risk`}
            type="checkbox"
            checked={filters.atRisk}
            onChange={(event) => set({ atRisk: event.target.checked })}
          />
          <label htmlFor={`${id}-risk`}>At risk only</label>
        </div>
      </div>
      <div className="saved-views" role="group" aria-label="Saved views">
        <SelectField
          className="filters__field"
          label="Saved view"
          value={active?.name ?? ''}
          onChange={(name) => {
            const view = views.find((v) => v.name === name);
            if (view) onApplyView(view);
          }}
        >
          <option value="">{views.length ? 'Choose a view…' : 'No saved views yet'}</option>
          {views.map((v) => (
            <option key={v.name} value={v.name}>
              {v.name}
            </option>
          ))}
        </SelectField>
        {active ? (
          <Button variant="ghost" size="sm" onClick={() => onDeleteView(active.name)}>
            Delete “{active.name}”
          </Button>
        ) : null}
        <form
          className="saved-views__save"
          onSubmit={(event) => {
            event.preventDefault();
            const name = viewName.trim();
            if (!name) {
              setNameError('Name the view to save it');
              return;
            }
            onSaveView(name);
            setViewName('');
            setNameError(null);
          }}
        >
          <div className={['filters__field', nameError ? 'field--invalid' : null].filter(Boolean).join(' ')}>
            <label className="field__label" htmlFor={`${id}-name`}>
              Save these filters as
            </label>
            <input
              id={`${id}-name`}
              className="field__input"
              value={viewName}
              maxLength={60}
              placeholder="e.g. My at-risk cases"
              aria-invalid={nameError ? true : undefined}
              aria-describedby={nameError ? `${id}-name-error` : undefined}
              onChange={(event) => setViewName(event.target.value)}
            />
            {nameError ? (
              <p className="field__error" id={`${id}-name-error`}>
                {nameError}
              </p>
            ) : null}
          </div>
          <Button type="submit" variant="secondary" size="sm">
            Save view
          </Button>
        </form>
      </div>
    </div>
  );
}
