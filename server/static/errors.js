// A refused form comes back with its errors beside the fields: take the person to the first one.
document.addEventListener('DOMContentLoaded', () => {
  const first = document.querySelector('.field-error, [role="alert"]');
  if (!first) return;
  const details = first.closest('details');
  if (details) details.open = true;
  first.scrollIntoView({ block: 'center' });
  const field = first.closest('label')?.querySelector('input, select, textarea');
  if (field) field.focus({ preventScroll: true });
});
