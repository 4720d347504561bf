import Auth0Lock from 'auth0-lock';

const lock = new Auth0Lock('demo-web-app', 'acme.auth0.com');

// Lock 11's getProfile calls /userinfo (src/core/web_api/p2_api.js).
lock.on('authenticated', (authResult) => {
  lock.getProfile(authResult.accessToken, () => {});
});
