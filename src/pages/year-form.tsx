/** The small GET form a page changes its year with (`?jaar=`): works without JavaScript, hidden in print. */
export function YearForm({ action, year, label, submit }: { action: string; year: number; label: string; submit: string }) {
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
