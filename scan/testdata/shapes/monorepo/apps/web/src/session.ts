import { createClient } from './auth';

const webAuth = createClient();

export function renew(idToken: string, cb: (err: Error | null, result?: unknown) => void): void {
  webAuth.client.delegation({ id_token: idToken, api_type: 'firebase' }, cb);
}
