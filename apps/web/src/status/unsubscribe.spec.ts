import { fireEvent, screen, waitFor } from '@testing-library/dom';
import { jsonResponse, requestsOf, stubFetch } from '@/testing/fetch-stub';
import { startUnsubscribePage } from './unsubscribe';

const TOKEN = 'B'.repeat(46);

describe('the unsubscribe page of her e-mails', () => {
  it('changes nothing on opening; one button POSTs her token and confirms', async () => {
    const fetchStub = stubFetch(() => jsonResponse({ unsubscribed: true }));
    document.body.innerHTML = '<main id="status"></main>';
    startUnsubscribePage(document.getElementById('status')!, TOKEN);
    expect(requestsOf(fetchStub)).toHaveLength(0);
    fireEvent.click(screen.getByRole('button', { name: 'Stop these e-mails' }));
    await waitFor(() => expect(screen.getByRole('status').textContent).toMatch(/no more of these e-mails/));
    const [request] = requestsOf(fetchStub);
    expect(request.method).toBe('POST');
    expect(request.url.pathname).toBe(`/api/v1/public/unsubscribe/${TOKEN}`);
    expect(screen.queryByRole('button')).toBeNull();
  });
});
