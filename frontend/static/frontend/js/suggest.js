// Search suggestions as you type, filled into the search box's <datalist>.
// Without JavaScript the form is a plain search; this only adds the list.
(function () {
  const form = document.querySelector("form[data-suggest-url]");
  if (!form) return;
  const input = form.querySelector("input[list]");
  const list = document.getElementById(input.getAttribute("list"));
  let timer = null;
  let controller = null;

  input.addEventListener("input", function () {
    clearTimeout(timer);
    const value = input.value.trim();
    if (!value) {
      list.replaceChildren();
      return;
    }
    timer = setTimeout(function () {
      if (controller) controller.abort();
      controller = new AbortController();
      const url = form.dataset.suggestUrl + "?q=" + encodeURIComponent(value);
      fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } })
        .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
        .then(function (data) {
          list.replaceChildren(...data.suggestions.map(function (title) {
            const option = document.createElement("option");
            option.value = title;
            return option;
          }));
        })
        .catch(function () { /* offline or aborted: the plain search still works */ });
    }, 200);
  });
})();
