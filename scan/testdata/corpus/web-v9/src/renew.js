// Names no SDK itself: the object comes from ./social.
import { webAuth } from './social';

export function renewFirebaseToken(idToken, done) {
  webAuth.client.delegation({ id_token: idToken, api_type: 'firebase' }, done);
}
