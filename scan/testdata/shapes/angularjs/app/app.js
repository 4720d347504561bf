angular.module('sample', ['auth0', 'angular-storage', 'angular-jwt'])
  .config(function (authProvider) {
    authProvider.init({ domain: 'acme.auth0.com', clientID: 'abc' });
  })
  .run(function ($rootScope, auth, store) {
    $rootScope.$on('$locationChangeStart', function () {
      var refreshToken = store.get('refreshToken');
      if (refreshToken) {
        auth.refreshIdToken(refreshToken).then(function (idToken) { store.set('token', idToken); });
      }
    });
  });
