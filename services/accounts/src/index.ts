export { startAuthority, SERVICE_NAME, type Authority, type AuthorityOptions } from './authority';
export { ACCOUNTS_BUCKET } from './store';
