// Live character counters for the text boxes that includes/field.html gives one.
//
// Those boxes have no maxlength: a browser counts maxlength in UTF-16 code units, so an
// emoji or a kanji such as 𠮷 counts twice and a valid title is cut short. The server
// counts code points (Django's max_length) after trimming the ends, and a submitted
// textarea has CRLF line breaks; this counts the same way. Without JavaScript the line
// keeps saying "Up to N characters", and the server's error shows either way.
(() => {
  "use strict";
  const counters = document.querySelectorAll("[data-counter-for]");
  if (!counters.length) return;

  const format = (text, values) =>
    text.replace(/%\((\w+)\)s/g, (match, key) => (key in values ? String(values[key]) : match));

  // What the server will count: code points, line breaks as sent (CRLF), ends trimmed.
  const length = (value) => Array.from(value.replace(/\r\n|\r|\n/g, "\r\n").trim()).length;

  for (const counter of counters) {
    const box = document.getElementById(counter.dataset.counterFor);
    const limit = Number(counter.dataset.limit);
    if (!box || !limit) continue;

    // The visible line updates at once; a screen reader hears the count once typing
    // pauses, from a polite live region, rather than on every key.
    const live = document.createElement("span");
    live.className = "visually-hidden";
    live.setAttribute("aria-live", "polite");
    counter.after(live);
    let timer = null;

    const update = (announce) => {
      const count = length(box.value);
      const over = count - limit;
      const text =
        over > 0
          ? format(counter.dataset.textOver, { count, limit, over })
          : format(counter.dataset.textCount, { count, limit });
      counter.textContent = text;
      counter.classList.toggle("field__errors", over > 0);
      clearTimeout(timer);
      if (announce) timer = setTimeout(() => { live.textContent = text; }, 800);
    };

    box.addEventListener("input", () => update(true));
    update(false);
  }
})();
