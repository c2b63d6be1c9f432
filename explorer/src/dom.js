// Small helpers to build the page's elements.

/** The element with this id. */
export const $ = (id) => document.getElementById(id);

/** A new element with its text and attributes. */
export function element(tag, text = "", attributes = {}) {
  const node = document.createElement(tag);
  if (text) node.textContent = text;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

/** A button (never a form's submit) calling `onClick`. */
export function button(text, onClick, attributes = {}) {
  const node = element("button", text, { type: "button", ...attributes });
  node.addEventListener("click", onClick);
  return node;
}
