// Our own store: users.getInfo here is not node-auth0's.
const users = { getInfo: async (id) => ({ id }) };
module.exports = { users };
