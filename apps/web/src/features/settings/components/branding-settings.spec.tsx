import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { OrganizationSettings } from '@kept/contracts';
import { jsonResponse, problemResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { renderWithProviders } from '@/testing/render';
import { signIn } from '@/testing/session';
import { BrandingSettings } from './branding-settings';

const SETTINGS: OrganizationSettings = { name: 'Nordlicht Service', accentColor: null, logo: null, defaultLanguage: 'en', customerEmails: false, version: 3 };

describe('Branding settings', () => {
  beforeEach(() => signIn({ user: { id: 'u-1', name: 'Ada Admin', email: 'ada@x.test', role: 'admin' } }));

  it('checks the accent colour against white text (WCAG AA) before sending, then saves with If-Match', async () => {
    const fetchMock = stubFetch(({ url, method, body }) => {
      if (url.pathname === '/api/v1/organization/settings' && method === 'GET') return jsonResponse(SETTINGS);
      if (url.pathname === '/api/v1/organization/settings' && method === 'PATCH') return jsonResponse({ ...SETTINGS, ...(body as object), version: 4 });
      throw new Error(`unexpected ${method} ${url.pathname}`);
    });
    renderWithProviders(<BrandingSettings />);
    const form = await screen.findByRole('form', { name: 'Branding' });
    const hex = within(form).getByLabelText('Accent colour (hex)');

    fireEvent.change(hex, { target: { value: '#ffcc00' } });
    expect(within(form).getByText(/White text on it, and it as text on white: 1\.51 : 1/)).toBeInTheDocument();
    expect(within(form).getByText(/Black text on it: 13\.89 : 1/)).toBeInTheDocument();
    expect(within(form).getByText(/Below WCAG AA/)).toBeInTheDocument();
    fireEvent.click(within(form).getByRole('button', { name: 'Save branding' }));
    expect(requestsOf(fetchMock).filter((r) => r.method === 'PATCH')).toHaveLength(0);
    expect(hex).toHaveAttribute('aria-invalid', 'true');

    fireEvent.change(hex, { target: { value: '#aa3300' } });
    expect(within(form).getByText(/Meets WCAG AA/)).toBeInTheDocument();
    fireEvent.change(within(form).getByRole('combobox', { name: /Default language/ }), { target: { value: 'de' } });
    fireEvent.click(within(form).getByLabelText(/E-mail customers/));
    fireEvent.click(within(form).getByRole('button', { name: 'Save branding' }));
    await waitFor(() => expect(requestsOf(fetchMock).filter((r) => r.method === 'PATCH')).toHaveLength(1));
    const [patch] = requestsOf(fetchMock).filter((r) => r.method === 'PATCH');
    expect(patch.headers.get('If-Match')).toBe('W/"3"');
    expect(patch.body).toEqual({ name: 'Nordlicht Service', accentColor: '#aa3300', defaultLanguage: 'de', customerEmails: true });
  });

  it('refuses a logo that is too large or of another type before uploading, and shows the API problem otherwise', async () => {
    const fetchMock = stubFetch(({ url, method }) => {
      if (url.pathname === '/api/v1/organization/settings' && method === 'GET') return jsonResponse(SETTINGS);
      if (url.pathname === '/api/v1/organization/settings/logo' && method === 'PUT')
        return problemResponse({ status: 415, code: 'LOGO_UNSUPPORTED_TYPE', title: 'Unsupported logo type', detail: 'The file does not look like image/png' });
      throw new Error(`unexpected ${method} ${url.pathname}`);
    });
    renderWithProviders(<BrandingSettings />);
    const input = await screen.findByLabelText(/Upload a logo/);
    fireEvent.change(input, { target: { files: [new File([new Uint8Array(300 * 1024)], 'big.png', { type: 'image/png' })] } });
    expect(await screen.findByText(/at most 256 KB/, { selector: '[role="alert"]' })).toBeInTheDocument();
    fireEvent.change(input, { target: { files: [new File(['<svg/>'], 'logo.svg', { type: 'image/svg+xml' })] } });
    expect(await screen.findByText('Only PNG, JPEG or WebP images.')).toBeInTheDocument();
    expect(requestsOf(fetchMock).filter((r) => r.method === 'PUT')).toHaveLength(0);
    fireEvent.change(input, { target: { files: [new File(['not a png'], 'fake.png', { type: 'image/png' })] } });
    expect(await screen.findByText('The file does not look like image/png')).toBeInTheDocument();
  });
});
