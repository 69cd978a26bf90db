// A search box over a list of choices: `<input data-filter="#list">` hides the `label`s of
// `#list` whose text does not contain what is typed.
document.addEventListener('DOMContentLoaded', () => {
  for (const box of document.querySelectorAll('input[data-filter]')) {
    const list = document.querySelector(box.dataset.filter);
    if (!list) continue;
    box.addEventListener('input', () => {
      const wanted = box.value.trim().toLowerCase();
      for (const choice of list.querySelectorAll('label')) {
        choice.hidden = wanted !== '' && !choice.textContent.toLowerCase().includes(wanted);
      }
    });
  }
});
