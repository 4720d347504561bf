import Auth0Lock from 'auth0-lock';

// oidcConformant makes Lock 10 use /userinfo: already migrated.
const lock = new Auth0Lock('demo-web-app', 'acme.auth0.com', { oidcConformant: true });

lock.on('authenticated', (authResult) => {
  lock.getProfile(authResult.accessToken, () => {});
});
