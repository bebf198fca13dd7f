'use client';
import { AccountKey } from '@/components/account-key';
import { useImportShare } from '../api/import-share';
import type { PendingCatalog } from '../types';

function PendingRow({ share }: { share: PendingCatalog }) {
  const importShare = useImportShare();
  return (
    <li className="row" data-testid={`pending-${share.catalog}`}>
      <span className="row-title">{share.catalog}</span>
      <span className="muted">
        from <AccountKey value={share.owner} />
      </span>
      <button type="button" className="button" disabled={importShare.isPending || importShare.isSuccess} onClick={() => importShare.mutate({ catalog: share.catalog, owner: share.owner })}>
        {importShare.isPending ? 'Importing…' : importShare.isSuccess ? 'Imported' : 'Import'}
      </button>
      {importShare.isError ? (
        <p role="alert" className="error-text">
          {importShare.error.message}
        </p>
      ) : null}
    </li>
  );
}

export function PendingInbox({ pending }: { pending: PendingCatalog[] }) {
  if (pending.length === 0) return null;
  return (
    <section aria-labelledby="inbox" className="card card-highlight">
      <h2 id="inbox">Waiting for you</h2>
      <ul className="rows">
        {pending.map((share) => (
          <PendingRow key={`${share.owner}/${share.catalog}`} share={share} />
        ))}
      </ul>
    </section>
  );
}
