// The signed-in user's event stream (/ws/events/): keeps the header's unread count live
// and, by pinging every 30 s, tells the server the user is on the site (no e-mail then).
(() => {
  "use strict";
  const badge = document.querySelector("[data-unread-badge]");
  if (!badge || !("WebSocket" in window)) return;
  const count = badge.querySelector("[data-unread-total]");
  let retries = 0;
  let pingTimer = null;

  const connect = () => {
    const scheme = window.location.protocol === "https:" ? "wss" : "ws";
    const socket = new WebSocket(`${scheme}://${window.location.host}/ws/events/`);
    socket.addEventListener("open", () => {
      retries = 0;
      clearInterval(pingTimer);
      pingTimer = setInterval(() => socket.send(JSON.stringify({ type: "ping" })), 30000);
    });
    socket.addEventListener("message", (event) => {
      const data = JSON.parse(event.data);
      if (data.type === "unread") {
        count.textContent = data.total;
        badge.hidden = data.total === 0;
      }
    });
    socket.addEventListener("close", (event) => {
      clearInterval(pingTimer);
      if (event.code === 4401) return;
      const delay = Math.min(30000, 1000 * 2 ** retries);
      retries += 1;
      setTimeout(connect, delay);
    });
  };
  connect();
})();
