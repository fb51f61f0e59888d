import { useState, type FormEvent } from 'react';
import { signupRequestSchema, type SignupRequest } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useSignup } from '../api/signup';

type Field = keyof SignupRequest;
type FieldErrors = Partial<Record<Field, string>>;

const MESSAGES: Record<Field, string> = {
  organizationName: 'Enter the name of your organization.',
  name: 'Enter your name.',
  email: 'Enter an email address like name@example.com.',
  password: 'Choose a longer password.',
};

/** Checks the form with the shared contract schema. */
export function validateSignup(values: SignupRequest): { data: SignupRequest } | { errors: FieldErrors } {
  const result = signupRequestSchema.safeParse(values);
  if (result.success) return { data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as Field;
    if (!errors[field]) errors[field] = field === 'password' && 'minimum' in issue ? `Choose a password of at least ${String(issue.minimum)} characters.` : MESSAGES[field];
  }
  return { errors };
}

/** Creates an organization (when the server allows sign-up); the admin confirms the e-mail address next. */
export function SignupForm() {
  const [values, setValues] = useState<SignupRequest>({ organizationName: '', name: '', email: '', password: '' });
  const [errors, setErrors] = useState<FieldErrors>({});
  const mutation = useSignup();

  const field = (name: Field) => ({
    name,
    value: values[name],
    error: errors[name],
    onChange: (event: { target: { value: string } }) => setValues({ ...values, [name]: event.target.value }),
  });

  const handleSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (mutation.isPending) return;
    const result = validateSignup({ ...values, email: values.email.trim() });
    if ('errors' in result) {
      setErrors(result.errors);
      return;
    }
    setErrors({});
    mutation.mutate(result.data);
  };

  if (mutation.isSuccess) {
    return (
      <Alert tone="info" title="Check your email">
        {mutation.data.detail}
      </Alert>
    );
  }
  return (
    <form className="login-form" onSubmit={handleSubmit} noValidate>
      {mutation.isError ? (
        <Alert title="Could not sign up">
          {mutation.error instanceof ApiError && mutation.error.status === 403 ? mutation.error.message : errorMessage(mutation.error)}
        </Alert>
      ) : null}
      <TextField label="Organization" autoComplete="organization" autoFocus required {...field('organizationName')} />
      <TextField label="Your name" autoComplete="name" required {...field('name')} />
      <TextField label="Email" type="email" autoComplete="username" autoCapitalize="none" spellCheck={false} required {...field('email')} />
      <TextField label="Password" type="password" autoComplete="new-password" required {...field('password')} />
      <Button type="submit" className="login-form__submit" busy={mutation.isPending}>
        {mutation.isPending ? 'Creating…' : 'Create organization'}
      </Button>
    </form>
  );
}
