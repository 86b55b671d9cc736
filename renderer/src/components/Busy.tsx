// A small loading indicator that screen readers announce politely.
export function Busy({ text, className }: { text: string; className?: string }) {
  return (
    <span className={`busy ${className ?? ''}`} role="status">
      <span className="spinner" aria-hidden="true" />
      <span>{text}</span>
    </span>
  );
}
