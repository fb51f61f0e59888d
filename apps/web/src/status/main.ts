import { startStatusPage } from './page';

// `/s/<token>`: the token is the only credential; the page never sends it anywhere but to the API.
const token = decodeURIComponent(location.pathname.replace(/^\/s\//, '').split('/')[0] ?? '');
void startStatusPage(document.getElementById('status')!, token);
