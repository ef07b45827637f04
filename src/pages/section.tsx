import type { ComponentChildren } from 'preact';

export interface SectionProps {
  /** The heading's id, which names the section for a screen reader's list of landmarks. */
  readonly id: string;
  readonly title: string;
  /** Left out when the page is printed (forms, buttons). */
  readonly noPrint?: boolean;
  readonly children: ComponentChildren;
}

/** A part of a page under its own heading: a `section` labelled by its `h2`. */
export function Section({ id, title, noPrint = false, children }: SectionProps) {
  return (
    <section aria-labelledby={id} class={noPrint ? 'no-print' : undefined}>
      <h2 class="utrecht-heading-2" id={id}>
        {title}
      </h2>
      {children}
    </section>
  );
}
