import { useState, type FormEvent } from 'react';
import { MAX_MINOR } from '@kept/contracts';
import { LoadError } from '@/components/load-error';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Spinner } from '@/components/ui/spinner';
import { TableScroll } from '@/components/ui/table-scroll';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { formatMoney, parseMajor } from '@/lib/money';
import { useBudgets, useSetBudget } from '../api/goodwill';
import { useUsers } from '../api/settings';

const thisMonth = () => new Date().toISOString().slice(0, 7);

/** Monthly goodwill budgets per team: what was set, spent and is left; a manager sets a team's budget for a month. */
export function GoodwillBudgets({ currency }: { currency: string }) {
  const [month, setMonth] = useState(thisMonth);
  const budgets = useBudgets(month);
  const users = useUsers();
  const setBudget = useSetBudget();
  const [team, setTeam] = useState('');
  const [amount, setAmount] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const teams = [...new Set((users.data ?? []).map((u) => u.team).filter((t): t is string => Boolean(t)))].sort();
  const serverErrors = setBudget.error instanceof ApiError ? Object.fromEntries((setBudget.error.problem?.errors ?? []).map((e) => [e.path, e.message])) : {};
  const shown = { ...serverErrors, ...errors };

  const onSubmit = (e: FormEvent) => {
    e.preventDefault();
    const found: Record<string, string> = {};
    const minor = parseMajor(amount, { allowZero: true });
    if (!team.trim()) found.team = 'Name the team';
    if (minor === null) found.amountMinor = 'An amount, zero or more, with at most two decimals';
    else if (minor > MAX_MINOR) found.amountMinor = `At most ${formatMoney(MAX_MINOR, currency)}`;
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) found.month = 'Choose a month';
    setErrors(found);
    if (Object.keys(found).length || minor === null) return;
    setBudget.mutate({ team: team.trim(), month, amountMinor: minor, currency }, {
        onSuccess: () => {
          setTeam('');
          setAmount('');
        },
      });
  };

  return (
    <section className="panel" aria-labelledby="goodwill-budgets-heading">
      <h2 id="goodwill-budgets-heading">Goodwill budgets per team</h2>
      <TextField label="Month" type="month" value={month} onChange={(e) => setMonth(e.target.value)} error={shown.month} />
      {budgets.isPending ? <Spinner size="md" label="Loading budgets" /> : null}
      {budgets.isError ? <LoadError title="Budgets could not be loaded" error={budgets.error} onRetry={() => void budgets.refetch()} busy={budgets.isFetching} /> : null}
      {budgets.data && budgets.data.items.length === 0 ? <p className="muted">No budgets for {month}: offers are limited only by each person’s limit.</p> : null}
      {budgets.data && budgets.data.items.length ? (
        <TableScroll label={`Budgets for ${month}`}>
          <table className="data-table">
            <thead>
              <tr>
                <th scope="col">Team</th>
                <th scope="col">Budget</th>
                <th scope="col">Spent</th>
                <th scope="col">Left</th>
              </tr>
            </thead>
            <tbody>
              {budgets.data.items.map((b) => (
                <tr key={b.team}>
                  <th scope="row">{b.team}</th>
                  <td>{formatMoney(b.amountMinor, b.currency)}</td>
                  <td>{formatMoney(b.spentMinor, b.currency)}</td>
                  <td>
                    {formatMoney(b.leftMinor, b.currency)}
                    {b.leftMinor <= 0 ? <strong> (used up: offers need approval)</strong> : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </TableScroll>
      ) : null}
      <form className="form-grid" aria-label="Set a team budget" noValidate onSubmit={onSubmit}>
        <TextField label="Team" value={team} list="goodwill-teams" maxLength={100} onChange={(e) => setTeam(e.target.value)} error={shown.team} />
        <datalist id="goodwill-teams">
          {teams.map((t) => (
            <option key={t} value={t} />
          ))}
        </datalist>
        <TextField label={`Budget for ${month} (${currency})`} inputMode="decimal" value={amount} onChange={(e) => setAmount(e.target.value)} error={shown.amountMinor} />
        <Button type="submit" busy={setBudget.isPending}>
          Set budget
        </Button>
      </form>
      {setBudget.isError ? <Alert title="The budget was not set">{errorMessage(setBudget.error)}</Alert> : null}
    </section>
  );
}
