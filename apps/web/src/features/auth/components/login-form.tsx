import { useRef, useState, type FormEvent } from 'react';
import type { LoginRequest, LoginResponse, loginRequestSchema } from '@kept/contracts';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { ApiError, errorMessage } from '@/lib/api-client';
import { useLogin } from '../api/login';

type Field = keyof LoginRequest;
type FieldErrors = Partial<Record<Field, string>>;

const FIELDS: Field[] = ['email', 'password', 'organization'];

/** The address has accounts in several organizations and the password fits more than one (409). */
const needsOrganization = (error: unknown) => error instanceof ApiError && error.problem?.code === 'ORGANIZATION_REQUIRED';

type LoginSchema = typeof loginRequestSchema;
let schemaLoad: Promise<LoginSchema> | null = null;

/**
 * The shared contract schema, loaded on first use: it brings zod (≈26 kB compressed), which the login
 * page's first paint does not need (issue 13 item 7). Asked for on the first keystroke, so it is there
 * by the time the form is sent.
 */
export function loadLoginSchema(): Promise<LoginSchema> {
  schemaLoad ??= import('@kept/contracts').then((contracts) => contracts.loginRequestSchema);
  return schemaLoad;
}

/** Validates with the shared contract schema, phrasing each problem as what to do about it. */
export function validateLogin(values: LoginRequest, schema: LoginSchema): { data: LoginRequest } | { errors: FieldErrors } {
  const result = schema.safeParse(values);
  if (result.success) return { data: result.data };
  const errors: FieldErrors = {};
  for (const issue of result.error.issues) {
    const field = issue.path[0] as Field;
    if (errors[field]) continue;
    if (field === 'email') {
      if (!values.email) errors.email = 'Enter your email address.';
      else if (issue.code === 'too_big') errors.email = 'This email address is too long.';
      else errors.email = 'Enter an email address like name@example.com.';
    } else if (field === 'password') {
      errors.password = issue.code === 'too_big' ? 'This password is too long.' : 'Enter your password.';
    } else if (field === 'organization') {
      errors.organization = issue.code === 'too_big' ? 'This name is too long.' : 'Enter the name of your organization.';
    }
  }
  return { errors };
}

function serverFieldErrors(error: ApiError): FieldErrors {
  const errors: FieldErrors = {};
  for (const { path, message } of error.problem?.errors ?? []) {
    const field = path.replace(/^\/?(body\.)?/, '') as Field;
    if (FIELDS.includes(field)) errors[field] = message;
  }
  return errors;
}

function serverMessage(error: unknown): string {
  if (error instanceof ApiError && error.status === 401)
    return 'That email and password do not match. Check both and try again.';
  if (needsOrganization(error))
    return 'This email address has accounts in several organizations. Enter the name of the one to sign in to, and sign in again.';
  if (error instanceof ApiError && error.status === 429)
    return error.problem?.detail ?? 'Too many attempts. Wait a minute and try again.';
  return errorMessage(error);
}

export interface LoginFormProps {
  onSuccess?: (response: LoginResponse) => void;
}

export function LoginForm({ onSuccess }: LoginFormProps) {
  const [values, setValues] = useState<LoginRequest>({ email: '', password: '' });
  /** Shown only after the API asked for it (an address with accounts in several organizations). */
  const [askOrganization, setAskOrganization] = useState(false);
  const payload = (v: LoginRequest): LoginRequest => {
    const organization = askOrganization ? v.organization?.trim() : undefined;
    return { email: v.email.trim(), password: v.password, ...(askOrganization ? { organization: organization ?? '' } : {}) };
  };
  const [errors, setErrors] = useState<FieldErrors>({});
  const [submitted, setSubmitted] = useState(false);
  const inputs = useRef<Partial<Record<Field, HTMLInputElement | null>>>({});
  const login = useLogin();
  const [schema, setSchema] = useState<LoginSchema | null>(null);
  const ensureSchema = () =>
    loadLoginSchema().then((loaded) => {
      setSchema(() => loaded);
      return loaded;
    });

  const update = (field: Field, value: string) => {
    const next = { ...values, [field]: value };
    setValues(next);
    if (login.isError) login.reset();
    if (!schema) void ensureSchema();
    // Once the user has tried to submit, keep the messages in step with what they type.
    if (submitted && schema) {
      const result = validateLogin(payload(next), schema);
      setErrors('errors' in result ? result.errors : {});
    }
  };

  const handleSubmit = async (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (login.isPending) return;
    setSubmitted(true);
    const result = validateLogin(payload(values), schema ?? (await ensureSchema()));
    if ('errors' in result) {
      setErrors(result.errors);
      const first = FIELDS.find((field) => result.errors[field]);
      if (first) inputs.current[first]?.focus();
      return;
    }
    setErrors({});
    login.mutate(result.data, {
      onSuccess: (response) => onSuccess?.(response),
      onError: (error) => {
        if (needsOrganization(error)) setAskOrganization(true);
        if (error instanceof ApiError && error.status === 400) {
          const fieldErrors = serverFieldErrors(error);
          if (Object.keys(fieldErrors).length > 0) setErrors(fieldErrors);
        }
      },
    });
  };

  return (
    <form className="login-form" onSubmit={(event) => void handleSubmit(event)} noValidate aria-describedby="login-demo-hint">
      {login.isError ? <Alert title="Could not sign in">{serverMessage(login.error)}</Alert> : null}
      <TextField
        ref={(element) => {
          inputs.current.email = element;
        }}
        label="Email"
        name="email"
        type="email"
        inputMode="email"
        autoComplete="username"
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
        required
        value={values.email}
        onChange={(event) => update('email', event.target.value)}
        error={errors.email}
      />
      <TextField
        ref={(element) => {
          inputs.current.password = element;
        }}
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={values.password}
        onChange={(event) => update('password', event.target.value)}
        error={errors.password}
      />
      {askOrganization ? (
        <TextField
          ref={(element) => {
            inputs.current.organization = element;
          }}
          label="Organization"
          name="organization"
          autoComplete="organization"
          hint="Its name, as your admin gave it, or its short name"
          required
          value={values.organization ?? ''}
          onChange={(event) => update('organization', event.target.value)}
          error={errors.organization}
        />
      ) : null}
      <Button type="submit" className="login-form__submit" busy={login.isPending}>
        {login.isPending ? 'Signing in…' : 'Sign in'}
      </Button>
      <p className="login-form__hint" id="login-demo-hint">
        Demo: dispatcher@demo.kept.test / kept-demo
      </p>
    </form>
  );
}
