// "显示完整号码": ask the server for one full ID number or phone (each reveal is recorded) and
// show it in place of the masked value. An input holding a masked value becomes editable once
// revealed. Plain JavaScript from this site only, no inline script (the CSP forbids it).
(function () {
  "use strict";

  function csrfToken() {
    var input = document.querySelector("input[name=csrfmiddlewaretoken]");
    return input ? input.value : "";
  }

  function show(button, value) {
    var target = document.getElementById(button.getAttribute("data-reveal-target"));
    if (!target) {
      return;
    }
    if (target.tagName === "INPUT") {
      target.value = value;
      target.removeAttribute("readonly");
      target.removeAttribute("data-masked");
    } else {
      target.textContent = value;
    }
    button.remove();
  }

  function reveal(event) {
    var button = event.currentTarget;
    button.disabled = true;
    fetch(button.getAttribute("data-reveal-url"), {
      method: "POST",
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrfToken(), "X-Requested-With": "XMLHttpRequest" },
    })
      .then(function (response) {
        return response.json().then(function (data) {
          if (!response.ok) {
            throw new Error(data.error || "无法显示完整号码");
          }
          return data;
        });
      })
      .then(function (data) {
        show(button, data.value);
      })
      .catch(function (error) {
        button.disabled = false;
        button.title = error.message;
        window.alert(error.message);
      });
  }

  function wire(root) {
    var buttons = root.querySelectorAll("button[data-reveal-url]");
    for (var i = 0; i < buttons.length; i += 1) {
      if (!buttons[i].hasAttribute("data-reveal-wired")) {
        buttons[i].setAttribute("data-reveal-wired", "1");
        buttons[i].addEventListener("click", reveal);
      }
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () {
      wire(document);
    });
  } else {
    wire(document);
  }
})();
