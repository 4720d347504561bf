import Auth0Lock from 'auth0-lock';

const lock = new Auth0Lock('demo-web-app', 'acme.auth0.com');

lock.on('authenticated', (authResult) => {
  lock.getProfile(authResult.idToken, (error, profile) => {
    localStorage.setItem('profile', JSON.stringify(profile));
  });
});
