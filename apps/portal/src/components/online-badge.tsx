export function OnlineBadge({ online }: { online: boolean | null }) {
  if (online === null) return null;
  return (
    <span className={online ? 'badge badge-online' : 'badge badge-offline'} title={online ? 'its catalog server is running' : 'its catalog server is not running'}>
      {online ? 'online' : 'offline'}
    </span>
  );
}
