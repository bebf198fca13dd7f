import type { StatsReply } from '@natster/protocol';

const LABELS: [keyof StatsReply, string][] = [
  ['accounts_initialized', 'people'],
  ['catalogs_online', 'catalogs online'],
  ['shares_active', 'shares'],
  ['imports', 'imports'],
];

export function StatsBar({ stats }: { stats: StatsReply }) {
  return (
    <section aria-label="community" className="stats">
      {LABELS.map(([key, label]) => (
        <div key={key} className="stat">
          <span className="stat-value" data-testid={`stat-${key}`}>
            {stats[key].toLocaleString('en')}
          </span>
          <span className="stat-label">{label}</span>
        </div>
      ))}
    </section>
  );
}
