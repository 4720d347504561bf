const auth0 = require('auth0-js');

const webAuth = new auth0.WebAuth({ domain: 'acme.auth0.com', clientID: 'abc' });
const settings = { audience: 'https://api.example.com' };

module.exports = { webAuth, settings };
