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
