export interface YearFormProps {
  /** The page itself: the form asks for it again with ?jaar=. */
  readonly action: string;
  readonly year: number;
  readonly label: string;
  readonly submit: string;
}

/** Choosing the year a page shows: a GET form, so the year is in the address and can be bookmarked. */
export function YearForm({ action, year, label, submit }: YearFormProps) {
  return (
    <form method="get" action={action} class="no-print year-form">
      <label class="utrecht-form-label" for="jaar">
        {label}
      </label>{' '}
      <input class="utrecht-textbox utrecht-textbox--html-input" type="number" id="jaar" name="jaar" value={String(year)} min="2000" max="2100" />{' '}
      <button type="submit" class="utrecht-button utrecht-button--secondary-action">
        {submit}
      </button>
    </form>
  );
}
