// The admin app's own lock (a mutex of ours), far from the page whose
// global lock is Auth0's.
export function profile(lock, user) {
  return lock.getProfile(user);
}

export function cached(user) {
  return lock.getProfile(user);
}
