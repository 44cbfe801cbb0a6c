/** Building the page's elements from data: text always goes in as text (never parsed as HTML). */

type Child = Node | string | undefined | false;

/** `<tag attributes...>children</tag>`; undefined and false children are left out. */
export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Readonly<Record<string, string>> = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  for (const child of children) if (child !== undefined && child !== false) node.append(child);
  return node;
}
