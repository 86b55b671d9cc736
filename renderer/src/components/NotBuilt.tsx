// What a view that is not delivered yet shows: its name and one honest sentence, nothing invented.
import type { ViewDef } from '../lib/views';

export function NotBuilt({ view }: { view: ViewDef }) {
  return (
    <section className="view not-built" aria-labelledby={`${view.id}-title`} data-testid={`view-${view.id}`}>
      <h1 id={`${view.id}-title`}>{view.label}</h1>
      <p>{view.notice}</p>
    </section>
  );
}
