// A search as one types: `<input data-lookup="/api/v1/organizations" list="id">` fills its
// datalist with the first matches ("USCC name"), which the form's server accepts as typed.
document.addEventListener('DOMContentLoaded', () => {
  for (const box of document.querySelectorAll('input[data-lookup]')) {
    const list = document.getElementById(box.getAttribute('list'));
    let timer;
    box.addEventListener('input', () => {
      clearTimeout(timer);
      const q = box.value.trim();
      if (q.length < 2) return;
      timer = setTimeout(async () => {
        const reply = await fetch(`${box.dataset.lookup}?per_page=20&q=${encodeURIComponent(q)}`);
        if (!reply.ok) return;
        const { items } = await reply.json();
        list.replaceChildren(...items.map((o) => new Option(`${o.uscc} ${o.name}`)));
      }, 250);
    });
  }
});
