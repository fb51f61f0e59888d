import { useState, type FormEvent } from 'react';
import { setPasswordRequestSchema, type LoginResponse } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useSetPassword } from '../api/set-password';

interface Errors {
  password?: string;
  confirm?: string;
}

/** Checks the new password with the shared contract's rule and that both entries match. */
export function validateNewPassword(password: string, confirm: string): Errors {
  const errors: Errors = {};
  const result = setPasswordRequestSchema.shape.password.safeParse(password);
  if (!result.success) {
    const issue = result.error.issues[0];
    errors.password =
      issue.code === 'too_big'
        ? 'This password is too long.'
        : `Choose a password of at least ${'minimum' in issue ? String(issue.minimum) : 'more'} characters.`;
  }
  if (!errors.password && password !== confirm) errors.confirm = 'The two passwords differ.';
  return errors;
}

function serverMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 401)
    return 'This link is unknown, has expired or was already used. Ask an administrator for a new one.';
  if (error instanceof ApiError && error.status === 400) return error.problem?.errors?.[0]?.message ?? errorMessage(error);
  return errorMessage(error);
}

export interface SetPasswordFormProps {
  token: string;
  onSuccess?: (response: LoginResponse) => void;
}

/** Chooses the password of an invited user (or a new organization's first admin) with a one-time link. */
export function SetPasswordForm({ token, onSuccess }: SetPasswordFormProps) {
  const [password, setPasswordValue] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const mutation = useSetPassword();

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mutation.isPending) return;
    const found = validateNewPassword(password, confirm);
    setErrors(found);
    if (found.password || found.confirm) return;
    mutation.mutate({ token, password }, { onSuccess: (response) => onSuccess?.(response) });
  };

  return (
    <form className="login-form" onSubmit={handleSubmit} noValidate>
      {mutation.isError ? <Alert title="Could not set the password">{serverMessage(mutation.error)}</Alert> : null}
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        autoFocus
        required
        value={password}
        onChange={(event) => setPasswordValue(event.target.value)}
        error={errors.password}
      />
      <TextField
        label="Repeat the password"
        name="confirm"
        type="password"
        autoComplete="new-password"
        required
        value={confirm}
        onChange={(event) => setConfirm(event.target.value)}
        error={errors.confirm}
      />
      <Button type="submit" className="login-form__submit" busy={mutation.isPending}>
        {mutation.isPending ? 'Saving…' : 'Set password and sign in'}
      </Button>
    </form>
  );
}
