import { decodeXKey, fromXKeySeed, open } from '@natster/crypto';
import { Codes, NatsterError, PortalLogin, SealedPortalLogin } from '@natster/protocol';

const enc = new TextEncoder();

/**
 * Opens what `natster login` sealed to the portal's xkey. Anything that does
 * not open, or opens to something other than a PortalLogin, is refused.
 */
export function openPortalLogin(sealed: unknown, xkeySeed: string): PortalLogin {
  const { sender_xkey, box } = SealedPortalLogin.check(sealed);
  const portal = fromXKeySeed(enc.encode(xkeySeed));
  const plain = open(Buffer.from(box, 'base64'), decodeXKey(sender_xkey), portal.secretKey);
  if (!plain) {
    throw new NatsterError(Codes.forbidden, 'this sign-in code was not sealed for this portal: run `natster login` against this hub again');
  }
  return PortalLogin.decode(plain, 16384);
}
