// The legacy web login, written against auth0.js 7.6.1 (index.js).
import Auth0 from 'auth0-js';

const a0 = new Auth0({
  domain: 'acme.auth0.com',
  clientID: 'demo-native-app',
  callbackURL: 'https://app.example.com/callback',
});

const legacy = a0; // an alias

export function firebaseToken(idToken, cb) {
  // TODO: ask for a Firebase token with the ID token.
  a0.getDelegationToken({
    id_token: idToken,
    api: 'firebase',
    scope: 'openid name email',
  }, cb);
}

export function renew(refreshToken, cb) {
  legacy.refreshToken(refreshToken, cb);
}

export function renewId(idToken, cb) {
  return a0
    .renewIdToken(idToken, cb);
}

export function profile(idToken, cb) {
  a0.getProfile(idToken, cb);
}

export function userInfo(accessToken, cb) {
  a0.getUserInfo(accessToken, cb); // /userinfo: not legacy
}

export function sso(cb) {
  a0.getSSOData(true, cb);
}

export function passwordLogin(username, password, cb) {
  a0.loginWithResourceOwner({ username, password, connection: 'Username-Password-Authentication' }, cb);
}

const { getDelegationToken } = a0;
export const delegate = (opts, cb) => getDelegationToken(opts, cb);
