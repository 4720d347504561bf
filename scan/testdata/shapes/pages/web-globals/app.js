// The page's scripts share the auth0 objects index.html builds.
function showProfile(idToken) {
  lock.getProfile(idToken, function (err, profile) {});
}

function renew(idToken, cb) {
  webAuth.client.delegation({ id_token: idToken, api_type: 'app' }, cb);
}

// A local of our own with the same method name is not the page's lock.
function other(store) {
  var cache = store.open();
  cache.getProfile('me');
}
