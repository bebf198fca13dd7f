import { shortKey } from '@/lib/format';

/** An account key, shortened for reading, whole on hover and for copying. */
export function AccountKey({ value }: { value: string }) {
  return (
    <code className="account-key" title={value}>
      {shortKey(value)}
    </code>
  );
}
