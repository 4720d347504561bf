angular.module('sample').controller('SettingsCtrl', function ($scope, auth, store) {
  // The injected auth service; this file never names the SDK.
  auth.getProfile(store.get('token')).then(function (profile) {
    $scope.profile = profile;
  });
  auth.getToken({ api: 'firebase' }).then(function (delegation) {
    store.set('firebaseToken', delegation.id_token);
  });
});
