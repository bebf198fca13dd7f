export default function Loading() {
  return (
    <div className="skeleton" aria-busy aria-label="Loading">
      <div className="skeleton-line wide" />
      <div className="skeleton-line" />
      <div className="skeleton-block" />
    </div>
  );
}
