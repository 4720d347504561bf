export { initAuth0 as createClient } from './client';
