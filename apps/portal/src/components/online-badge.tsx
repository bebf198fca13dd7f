export function OnlineBadge({ online }: { online: boolean }) {
  return (
    <span className={online ? 'badge badge-online' : 'badge badge-offline'} title={online ? 'its catalog server is running' : 'its catalog server is not running'}>
      {online ? 'online' : 'offline'}
    </span>
  );
}
