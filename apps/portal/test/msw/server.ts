import { setupServer } from 'msw/node';

/** Tests add the handlers they need with server.use(...). */
export const server = setupServer();
