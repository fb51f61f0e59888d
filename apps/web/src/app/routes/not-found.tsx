import { Link } from 'react-router';

export function NotFoundRoute() {
  return (
    <div className="empty-state">
      <title>Not found · Kept</title>
      <h1 className="empty-state__title">Page not found</h1>
      <p className="empty-state__text">There is nothing at this address.</p>
      <Link className="button button--secondary button--md" to="/board">
        Go to the board
      </Link>
    </div>
  );
}
