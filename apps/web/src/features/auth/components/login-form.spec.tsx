import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { loginRequestSchema, type LoginResponse } from '@kept/contracts';
import { getSessionState } from '@/lib/session';
import { deferredResponse, jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { LoginForm, validateLogin } from './login-form';

const loginResponse: LoginResponse = {
  accessToken: 'eyJhbGciOiJIUzI1NiJ9.payload.signature',
  tokenType: 'Bearer',
  expiresIn: 900,
  user: {
    id: '5b0c3a57-6f55-4c1f-9a0e-1c1f4d7e2a10',
    tenantId: '0f0e8a1c-3f7b-4d8e-9c51-2a4b6c8d0e12',
    email: 'dispatcher@demo.kept.test',
    name: 'Dana Dispatcher',
    role: 'dispatcher',
    active: true,
    team: null,
    createdAt: '2026-01-05T09:00:00Z',
  },
  organization: { id: '0f0e8a1c-3f7b-4d8e-9c51-2a4b6c8d0e12', name: 'Demo Field Service' },
};

function fill(email: string, password: string) {
  fireEvent.change(screen.getByLabelText('Email'), { target: { value: email } });
  fireEvent.change(screen.getByLabelText('Password'), { target: { value: password } });
}

function submit() {
  // What pressing Enter in a field does: submit the form.
  fireEvent.submit(screen.getByLabelText('Password').closest('form')!);
}

describe('LoginForm', () => {
  it('labels its fields for password managers, focuses the email and shows the demo hint', () => {
    renderWithProviders(<LoginForm />);

    const email = screen.getByLabelText('Email');
    expect(email).toHaveFocus();
    expect(email).toHaveAttribute('type', 'email');
    expect(email).toHaveAttribute('autocomplete', 'username');
    expect(screen.getByLabelText('Password')).toHaveAttribute('autocomplete', 'current-password');
    expect(screen.getByText('Demo: dispatcher@demo.kept.test / kept-demo')).toBeInTheDocument();
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
  });

  it('shows what is missing next to each field and does not call the API', async () => {
    const fetchMock = stubFetch(() => jsonResponse(loginResponse));
    renderWithProviders(<LoginForm />);

    submit();

    const email = screen.getByLabelText('Email');
    await waitFor(() => expect(email).toHaveAttribute('aria-invalid', 'true'));
    expect(email).toHaveAccessibleDescription('Enter your email address.');
    expect(screen.getByLabelText('Password')).toHaveAccessibleDescription('Enter your password.');
    expect(email).toHaveFocus();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('rejects a malformed email and moves focus to it', async () => {
    const fetchMock = stubFetch(() => jsonResponse(loginResponse));
    renderWithProviders(<LoginForm />);

    fill('dispatcher@', 'kept-demo');
    screen.getByLabelText('Password').focus();
    submit();

    expect(await screen.findByText('Enter an email address like name@example.com.')).toBeInTheDocument();
    expect(screen.getByLabelText('Password')).not.toHaveAttribute('aria-invalid');
    expect(screen.getByLabelText('Email')).toHaveFocus();
    expect(fetchMock).not.toHaveBeenCalled();
  });

  it('clears a message as soon as the field is fixed', async () => {
    renderWithProviders(<LoginForm />);
    submit();
    expect(await screen.findByText('Enter your password.')).toBeInTheDocument();

    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'x' } });

    expect(screen.queryByText('Enter your password.')).not.toBeInTheDocument();
    expect(screen.getByText('Enter your email address.')).toBeInTheDocument();
  });

  it('signs in: posts the trimmed credentials, shows progress, then stores the session', async () => {
    const pending = deferredResponse();
    const fetchMock = stubFetch(() => pending.promise);
    const onSuccess = jest.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);

    fill('  dispatcher@demo.kept.test ', 'kept-demo');
    submit();

    const button = await screen.findByRole('button', { name: 'Signing in…' });
    expect(button).toBeDisabled();
    expect(button).toHaveAttribute('aria-busy', 'true');
    const [request] = requestsOf(fetchMock);
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe('/api/v1/auth/login');
    expect(request.headers.get('authorization')).toBeNull();
    expect(request.body).toEqual({ email: 'dispatcher@demo.kept.test', password: 'kept-demo' });

    await act(async () => pending.resolve(jsonResponse(loginResponse)));

    await waitFor(() => expect(onSuccess).toHaveBeenCalledWith(loginResponse));
    const { session } = getSessionState();
    expect(session).toMatchObject({
      accessToken: loginResponse.accessToken,
      user: { name: 'Dana Dispatcher', role: 'dispatcher' },
      organization: { name: 'Demo Field Service' },
    });
    expect(session!.expiresAt).toBeGreaterThan(Date.now() + 890_000);
    expect(JSON.parse(window.sessionStorage.getItem('kept.session')!)).toEqual(session);
  });

  it('announces wrong credentials in an alert and stays signed out', async () => {
    stubFetch(() =>
      problemResponse({
        status: 401,
        title: 'Unauthorized',
        detail: 'Invalid email or password.',
        code: 'INVALID_CREDENTIALS',
      }),
    );
    const onSuccess = jest.fn();
    renderWithProviders(<LoginForm onSuccess={onSuccess} />);

    fill('dispatcher@demo.kept.test', 'wrong-password');
    submit();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('Could not sign in');
    expect(alert).toHaveTextContent('That email and password do not match.');
    expect(screen.getByRole('button', { name: 'Sign in' })).toBeEnabled();
    expect(onSuccess).not.toHaveBeenCalled();
    expect(getSessionState().session).toBeNull();

    // Typing again dismisses the stale error.
    fireEvent.change(screen.getByLabelText('Password'), { target: { value: 'kept-demo' } });
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
  });

  it('shows field errors the server returns for a 400', async () => {
    stubFetch(() =>
      problemResponse({
        status: 400,
        title: 'Bad Request',
        detail: 'The request is not valid.',
        code: 'VALIDATION_FAILED',
        errors: [{ path: 'email', message: 'This address is not allowed.' }],
      }),
    );
    renderWithProviders(<LoginForm />);

    fill('someone@demo.kept.test', 'kept-demo');
    submit();

    expect(await screen.findByText('This address is not allowed.')).toBeInTheDocument();
    expect(screen.getByRole('alert')).toHaveTextContent('The request is not valid.');
  });

  it('says so when the server cannot be reached', async () => {
    stubFetch(() => {
      throw new TypeError('Failed to fetch');
    });
    renderWithProviders(<LoginForm />);

    fill('dispatcher@demo.kept.test', 'kept-demo');
    submit();

    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Could not reach Kept. Check your connection and try again.',
    );
  });
});

describe('validateLogin', () => {
  it.each([
    [
      'empty fields',
      { email: '', password: '' },
      { email: 'Enter your email address.', password: 'Enter your password.' },
    ],
    [
      'a malformed email',
      { email: 'not-an-email', password: 'x' },
      { email: 'Enter an email address like name@example.com.' },
    ],
    [
      'an over-long email',
      { email: `${'a'.repeat(320)}@example.com`, password: 'x' },
      { email: 'This email address is too long.' },
    ],
    [
      'an over-long password',
      { email: 'a@example.com', password: 'x'.repeat(201) },
      { password: 'This password is too long.' },
    ],
  ])('explains %s', (_case, values, errors) => {
    expect(validateLogin(values, loginRequestSchema)).toEqual({ errors });
  });

  it('accepts valid credentials', () => {
    expect(validateLogin({ email: 'dispatcher@demo.kept.test', password: 'kept-demo' }, loginRequestSchema)).toEqual({
      data: { email: 'dispatcher@demo.kept.test', password: 'kept-demo' },
    });
  });
});

describe('LoginForm, an address with accounts in several organizations', () => {
  it('asks for the organization only after the API does, and sends it with the next attempt', async () => {
    let calls = 0;
    const fetchMock = stubFetch(() =>
      ++calls === 1
        ? problemResponse({ status: 409, code: 'ORGANIZATION_REQUIRED', title: 'Name the organization to log in to', detail: 'several organizations' })
        : jsonResponse(loginResponse),
    );
    renderWithProviders(<LoginForm />);
    expect(screen.queryByLabelText(/^Organization/)).not.toBeInTheDocument();
    fill('twin@both.test', 'same-password-in-both');
    submit();

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This email address has accounts in several organizations');
    const organization = screen.getByLabelText(/^Organization/);
    // Required once shown: an empty one is not sent.
    submit();
    await waitFor(() => expect(organization).toHaveAttribute('aria-invalid', 'true'));
    expect(fetchMock).toHaveBeenCalledTimes(1);

    fireEvent.change(organization, { target: { value: '  Other Org ' } });
    submit();
    await waitFor(() => expect(fetchMock).toHaveBeenCalledTimes(2));
    expect(requestsOf(fetchMock)[1].body).toEqual({ email: 'twin@both.test', password: 'same-password-in-both', organization: 'Other Org' });
  });
});
