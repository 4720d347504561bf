import auth0 from 'auth0-js';

// A factory: every caller gets its own client.
export function initAuth0() {
  return new auth0.WebAuth({ domain: 'acme.auth0.com', clientID: 'abc' });
}
