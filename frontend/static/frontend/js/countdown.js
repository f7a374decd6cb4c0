// The countdown on a contest page (contests/includes/countdown.html).
//
// The server says how many seconds were left when it rendered the page (data-seconds)
// and has already written the time left, so the page reads right without JavaScript.
// This only counts down from that figure on the browser's monotonic clock
// (performance.now()): the computer's own date and time may be wrong or in another zone,
// so they are never read. The element is aria-live="off": the text changes quietly and
// a screen reader is not interrupted while someone reads the page.
(() => {
  "use strict";
  const format = (text, values) =>
    text.replace(/%\((\w+)\)s/g, (match, key) => (key in values ? String(values[key]) : match));

  const render = (element, seconds) => {
    const data = element.dataset;
    if (seconds <= 0) return data.textEnded;
    const values = {
      days: Math.floor(seconds / 86400),
      hours: Math.floor((seconds % 86400) / 3600),
      minutes: Math.floor((seconds % 3600) / 60),
    };
    if (values.days) return format(data.textDays, values);
    if (values.hours) return format(data.textHours, values);
    if (values.minutes) return format(data.textMinutes, values);
    return data.textSeconds;
  };

  for (const element of document.querySelectorAll("[data-countdown]")) {
    const total = Number(element.dataset.seconds);
    if (!Number.isFinite(total)) continue;
    const started = performance.now();
    let shown = element.textContent;
    let timer = null;

    const tick = () => {
      const left = Math.floor(total - (performance.now() - started) / 1000);
      const text = render(element, left);
      // Written only when it changes (once a minute), never on every tick.
      if (text !== shown) {
        element.textContent = text;
        shown = text;
      }
      if (left <= 0 && timer !== null) {
        clearInterval(timer);
        timer = null;
      }
    };
    tick();
    if (total > 0) timer = setInterval(tick, 1000);
  }
})();
