import { Link } from 'react-router';
import { useSignupMode } from '../api/signup';

/** "Create an organization", shown only when the server offers public sign-up. */
export function SignupLink() {
  const mode = useSignupMode();
  if (mode.data?.signup !== 'open') return null;
  return (
    <p className="login-form__hint">
      New to Kept? <Link to="/signup">Create an organization</Link>
    </p>
  );
}
