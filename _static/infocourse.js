/* The book's own script (linked on every page by Jupyter Book).
 *
 * A solution's title opens the solution. sphinx-togglebutton 0.4.5 listens
 * for clicks on the title, but finds its button only when the click lands on
 * the title element itself or on the button: a click on the text or the link
 * inside the title (most of the title bar on a phone), or on some parts of the
 * chevron's drawing, throws "ReferenceError: button is not defined" and
 * nothing opens. Such a click is passed on to the title's toggle button here,
 * which togglebutton handles. */
document.addEventListener(
  "click",
  (event) => {
    const title = event.target.closest(".admonition.toggle > .admonition-title");
    const button = title && title.querySelector(":scope > .toggle-button");
    if (!button || event.target === title || event.target === button) {
      return;
    }
    event.preventDefault(); // the title's link to the exercise
    event.stopPropagation();
    button.click();
  },
  true,
);

/* The navigation's expand chevrons (a <summary> holding only an icon) get a
 * name for screen readers: "Pages in API reference". */
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("nav li.has-children > details > summary").forEach((summary) => {
    const link = summary.closest("li").querySelector(":scope > a");
    if (!summary.textContent.trim() && !summary.hasAttribute("aria-label") && link) {
      summary.setAttribute("aria-label", `Pages in ${link.textContent.trim()}`);
    }
  });
});

/* Math wider than its column scrolls inside its own box (infocourse.css). A
 * box that scrolls must be reachable from the keyboard, so that it can be
 * scrolled without a mouse (WCAG 2.1.1; axe-core: scrollable-region-focusable).
 * MathJax's context menu made every formula focusable; the site ships MathJax
 * without it, so each formula that actually overflows is made focusable here,
 * once MathJax has typeset the page and again when the window is resized. */
function infocourseFocusableMath() {
  for (const box of document.querySelectorAll(".bd-article mjx-container")) {
    if (box.scrollWidth > box.clientWidth + 1 || box.scrollHeight > box.clientHeight + 1) {
      box.setAttribute("tabindex", "0");
    } else if (box.getAttribute("tabindex") === "0") {
      box.removeAttribute("tabindex");
    }
  }
}
document.addEventListener("DOMContentLoaded", () => {
  const startup = window.MathJax && window.MathJax.startup;
  if (startup && startup.promise) {
    startup.promise.then(infocourseFocusableMath);
    window.addEventListener("resize", infocourseFocusableMath);
  }
});
