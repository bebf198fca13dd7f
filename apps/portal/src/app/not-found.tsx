import Link from 'next/link';

export default function NotFound() {
  return (
    <section className="card narrow">
      <h1>Not here</h1>
      <p>There is no such page, catalog or file — or it is not shared with you. Files move when their owner rescans a catalog.</p>
      <Link href="/" className="button">
        Back to the dashboard
      </Link>
    </section>
  );
}
