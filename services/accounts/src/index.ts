export { startAuthority, SERVICE_NAME, type Authority, type AuthorityOptions } from './authority';
export { ACCOUNTS_BUCKET } from './store';
export { openInviteAdmin, type InviteAdmin, type MintOptions } from './invites/invite-admin';
export type { InviteRecord } from './invites/invite-store';
