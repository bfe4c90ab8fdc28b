// Names that the admin's own scripts leave out, for screen readers: the calendar and clock links
// beside date and time fields (DateTimeShortcuts.js) carry only an icon with a title, the
// selection boxes of select2 (autocomplete fields) name neither themselves nor their search field
// after the field's label, and the search icons of the two-list choosers (SelectFilter2.js) give
// a plain span a name, which only an element with a role may have. Both are built after the page has loaded, and again for every row an
// inline adds, so the names are given whenever such an element appears.
"use strict"
{
  function nameSource(select) {
    if (select.hasAttribute("aria-label")) return select
    return select.id ? document.querySelector(`label[for="${CSS.escape(select.id)}"]`) : null
  }

  function idOf(element, suffix) {
    if (!element.id) element.id = `${element.htmlFor || "koss"}-${suffix}`
    return element.id
  }

  function nameShortcuts(root) {
    for (const link of root.querySelectorAll(".datetimeshortcuts a:not([aria-label])")) {
      const icon = link.querySelector("[title]")
      if (icon && !link.textContent.trim()) link.setAttribute("aria-label", icon.title)
    }
  }

  function nameSelect2(root) {
    for (const container of root.querySelectorAll(".select2-container:not([data-named])")) {
      const select = container.previousElementSibling
      if (!select || select.tagName !== "SELECT") continue
      const source = nameSource(select)
      if (!source) continue
      const sourceId = idOf(source, "label")
      const text = (source.getAttribute("aria-label") || source.textContent).trim().replace(/:$/, "")
      const selection = container.querySelector(".select2-selection[role='combobox']")
      const rendered = container.querySelector(".select2-selection__rendered[id]")
      if (selection) {
        const ids = rendered ? `${sourceId} ${rendered.id}` : sourceId
        selection.setAttribute("aria-labelledby", ids)
      }
      if (rendered) rendered.setAttribute("aria-labelledby", sourceId)
      for (const search of container.querySelectorAll(".select2-search__field")) {
        search.setAttribute("aria-label", text)
      }
      container.dataset.named = ""
    }
  }

  function nameFilterIcons(root) {
    for (const icon of root.querySelectorAll(".selector .help-tooltip[aria-label]:not([role])")) {
      icon.setAttribute("role", "img")
    }
  }

  function nameAll(root) {
    nameFilterIcons(root)
    nameShortcuts(root)
    nameSelect2(root)
  }

  new MutationObserver((records) => {
    for (const record of records) {
      for (const node of record.addedNodes) {
        if (node.nodeType === Node.ELEMENT_NODE) nameAll(node.parentElement || node)
      }
    }
  }).observe(document.documentElement, { childList: true, subtree: true })
  document.addEventListener("DOMContentLoaded", () => nameAll(document))
  window.addEventListener("load", () => nameAll(document))
}
