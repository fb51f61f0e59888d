import { startStatusPage } from './page';
import { startUnsubscribePage } from './unsubscribe';

// `/s/<token>`: the token is the only credential; the page never sends it anywhere but to the API.
// `/s/unsubscribe/<token>`: the unsubscribe link of her e-mails.
const [first, second] = location.pathname.replace(/^\/s\//, '').split('/').map((part) => decodeURIComponent(part));
const root = document.getElementById('status')!;
if (first === 'unsubscribe' && second) startUnsubscribePage(root, second);
else void startStatusPage(root, first ?? '');
