const { webAuth: client } = require('./auth0');

// A password login through the legacy resource-owner endpoint.
function login(username, password, cb) {
  client.client.loginWithResourceOwner({ username, password, connection: 'db' }, cb);
}

module.exports = login;
