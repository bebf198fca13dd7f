import { Codes, DownloadRequest, NatsterError, type DownloadReply } from '@natster/protocol';
import { route, type Route } from '@natster/nats';
import { startTransfer, stopTransfers } from '@natster/client';
import { catalogContentId } from '../store/content-id';
import type { RouteContext } from './route-context';

/**
 * The `download` route of one catalog (ARCHITECTURE.md section 5): the caller
 * is already authorized when `handle` runs; resolve the file, clamp the
 * range, ask a chunker to start, and reply with everything the receiver
 * needs. When an account loses access, its transfers stop at once.
 */
export function downloadRoute(ctx: RouteContext): Route {
  ctx.onRevoked((account, catalog) => {
    stopTransfers(ctx.nc, { catalog, account, reason: `the owner stopped sharing catalog ${catalog} with you` });
    ctx.logger.info('stopped transfers of a revoked share', { account, catalog });
  });
  return route({
    op: 'download',
    request: DownloadRequest,
    async handle(body, request): Promise<DownloadReply> {
      const file = await ctx.resolve(body.hash);
      if (!file) throw new NatsterError(Codes.notFound, `no file ${body.hash} in catalog ${ctx.catalog}; list it with \`natster catalog contents ${ctx.catalog}\``);
      const offset = body.offset ?? 0;
      if (offset > file.size) throw new NatsterError(Codes.badRequest, `offset ${offset} is beyond the end of the file (${file.size} bytes)`);
      const length = Math.min(body.length ?? file.size - offset, file.size - offset);
      // By catalog and hash, never by path: only chunkers that can read this catalog, with this content, take it.
      const content = ctx.contentId?.() ?? catalogContentId([{ hash: file.sha256 }]);
      const started = await startTransfer(ctx.nc, content, {
        catalog: ctx.catalog,
        hash: file.sha256,
        downloader: request.caller,
        target_xkey: body.target_xkey,
        offset,
        length,
      });
      return { ...started, offset, length, file_size: file.size, sha256: file.sha256, mime_type: file.mime_type };
    },
  });
}
