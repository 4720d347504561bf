import Auth0Lock from 'auth0-lock';

const lock = new Auth0Lock('abc', 'acme.auth0.com');

// Lock 9 hands out its own auth0.js (6) client.
export function renew(idToken, cb) {
  lock.getClient().renewIdToken(idToken, cb);
}
