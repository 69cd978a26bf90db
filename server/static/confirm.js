// An irreversible write asks first: a form (or the button that sends it) with
// `data-confirm="question"` is sent only when the person confirms.
document.addEventListener('submit', (event) => {
  const question = event.submitter?.dataset.confirm ?? event.target.dataset.confirm;
  if (question && !window.confirm(question)) event.preventDefault();
});
