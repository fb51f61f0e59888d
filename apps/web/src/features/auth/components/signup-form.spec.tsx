import { fireEvent, screen } from '@testing-library/react';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { SignupForm } from './signup-form';
import { SetPasswordForm, validateNewPassword } from './set-password-form';

const change = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const submit = () => fireEvent.submit(screen.getByLabelText('Password').closest('form')!);

describe('SignupForm', () => {
  it('says what to fix before sending anything', () => {
    const fetchMock = stubFetch(() => jsonResponse({}));
    renderWithProviders(<SignupForm />);
    change('Email', 'not-an-email');
    change('Password', 'short');
    submit();
    expect(screen.getByText('Enter the name of your organization.')).toBeInTheDocument();
    expect(screen.getByText('Enter an email address like name@example.com.')).toBeInTheDocument();
    expect(screen.getByText(/Choose a password of at least \d+ characters\./)).toBeInTheDocument();
    expect(requestsOf(fetchMock)).toHaveLength(0);
  });

  it('sends the sign-up and tells the visitor to check their email', async () => {
    const fetchMock = stubFetch(() => jsonResponse({ status: 'verification_sent', detail: 'A confirmation link is on its way.' }, { status: 202 }));
    renderWithProviders(<SignupForm />);
    change('Organization', 'Sunrise Lab Service');
    change('Your name', 'Sam Sunrise');
    change('Email', ' sam@sunrise.test ');
    change('Password', 'sunrise-password-1');
    submit();
    expect(await screen.findByText('Check your email')).toBeInTheDocument();
    const [request] = requestsOf(fetchMock);
    expect(`${request.method} ${request.url.pathname}`).toBe('POST /api/v1/auth/signup');
    expect(request.body).toEqual({ organizationName: 'Sunrise Lab Service', name: 'Sam Sunrise', email: 'sam@sunrise.test', password: 'sunrise-password-1' });
  });

  it('shows why sign-up is refused when the server does not offer it', async () => {
    stubFetch(() => problemResponse({ status: 403, code: 'SIGNUP_CLOSED', detail: 'Sign-up is turned off on this installation' }));
    renderWithProviders(<SignupForm />);
    change('Organization', 'X');
    change('Your name', 'Y');
    change('Email', 'y@x.test');
    change('Password', 'long-enough-pass');
    submit();
    expect(await screen.findByText('Sign-up is turned off on this installation')).toBeInTheDocument();
  });
});

describe('SetPasswordForm', () => {
  it('checks length and that both entries match', () => {
    expect(validateNewPassword('short', 'short').password).toMatch(/at least \d+ characters/);
    expect(validateNewPassword('long-enough-pass', 'long-enough-past')).toEqual({ confirm: 'The two passwords differ.' });
    expect(validateNewPassword('long-enough-pass', 'long-enough-pass')).toEqual({});
  });

  it('explains a used or expired link', async () => {
    stubFetch(() => problemResponse({ status: 401, code: 'UNAUTHENTICATED' }));
    renderWithProviders(<SetPasswordForm token={'t'.repeat(43)} />);
    change('New password', 'long-enough-pass');
    change('Repeat the password', 'long-enough-pass');
    fireEvent.submit(screen.getByLabelText('New password').closest('form')!);
    expect(await screen.findByText(/unknown, has expired or was already used/)).toBeInTheDocument();
  });
});
