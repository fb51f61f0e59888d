import { fireEvent, render, screen } from '@testing-library/react';
import { SelectField } from './select-field';

describe('SelectField', () => {
  it('labels the select and ties the error and hint to it', () => {
    const onChange = jest.fn();
    render(
      <SelectField label="Role" value="a" onChange={onChange} error="Choose a role" hint="Who they act as">
        <option value="a">A</option>
        <option value="b">B</option>
      </SelectField>,
    );
    const select = screen.getByRole('combobox', { name: 'Role' });
    expect(select).toHaveAttribute('aria-invalid', 'true');
    expect(select).toHaveAccessibleDescription('Who they act as Choose a role');
    fireEvent.change(select, { target: { value: 'b' } });
    expect(onChange).toHaveBeenCalledWith('b');
  });

  it('without an error is neither invalid nor described', () => {
    render(
      <SelectField label="Snooze for" value="a" onChange={() => undefined} inline hideLabel>
        <option value="a">A</option>
      </SelectField>,
    );
    const select = screen.getByRole('combobox', { name: 'Snooze for' });
    expect(select).not.toHaveAttribute('aria-invalid');
    expect(select).not.toHaveAttribute('aria-describedby');
    expect(select).toHaveClass('field__input--inline');
  });
});
