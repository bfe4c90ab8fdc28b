// django-prose-editor names its menu buttons and block types in English without gettext
// ("heading 2", "Paragraph", "bold"). This editor extension renames them through the admin's
// JavaScript catalogue (locale/de/LC_MESSAGES/djangojs.po): extensions add their menu items
// after the default ones and before the menu is built, so the names are German from the start.
// For screen readers it also hides the icons' ligature names ("format_bold") behind the German
// name, says which buttons cannot act at the moment, and names the editing area after the field's
// label, with the field's help as its description.
import { Extension } from "django-prose-editor/editor"

const gettext = window.gettext || ((text) => text)
const interpolate = window.interpolate || ((text, values) => text.replace("%s", values[0]))

const NAMES = {
  paragraph: () => gettext("Paragraph"),
  bulletList: () => gettext("Bulleted list"),
  orderedList: () => gettext("Numbered list"),
  blockquote: () => gettext("Quotation"),
  horizontalRule: () => gettext("Horizontal line"),
  figure: () => gettext("Image"),
  bold: () => gettext("Bold"),
  italic: () => gettext("Italic"),
  underline: () => gettext("Underline"),
  strike: () => gettext("Strikethrough"),
  subscript: () => gettext("Subscript"),
  superscript: () => gettext("Superscript"),
  "textAlign:left": () => gettext("Align left"),
  "textAlign:center": () => gettext("Center"),
  "textAlign:right": () => gettext("Align right"),
  "textAlign:justify": () => gettext("Justify"),
  "history:undo": () => gettext("Undo"),
  "history:redo": () => gettext("Redo"),
  link: () => gettext("Insert link"),
  unlink: () => gettext("Remove link"),
  html: () => gettext("Edit HTML"),
}

function nameOf(item) {
  const heading = /^heading(\d)$/.exec(item.name)
  if (heading) return interpolate(gettext("Heading %s"), [heading[1]])
  return NAMES[item.name]?.()
}

function hideIconName(button) {
  if (!button.classList.contains("material-icons") || button.querySelector("[aria-hidden]")) return
  const icon = document.createElement("span")
  icon.setAttribute("aria-hidden", "true")
  icon.textContent = button.textContent
  button.replaceChildren(icon)
}

// The menu marks a button that cannot act at the moment (undo with nothing to undo) with the class
// "disabled" alone, so screen readers announced it as usable. Its state is kept in aria-disabled,
// which also exempts the faded button from the contrast rule for inactive controls.
function announceDisabledButtons(menubar) {
  const announce = (button) => {
    button.setAttribute("aria-disabled", String(button.classList.contains("disabled")))
  }
  menubar.querySelectorAll(".prose-menubar__button").forEach(announce)
  new MutationObserver((changes) => {
    for (const change of changes) {
      if (change.target.classList.contains("prose-menubar__button")) announce(change.target)
    }
  }).observe(menubar, { subtree: true, attributes: true, attributeFilter: ["class"] })
}

function nameEditingArea(editor) {
  const area = editor.view.dom
  const textarea = area.closest(".prose-editor")?.querySelector("textarea")
  if (!textarea?.id) return
  const label = document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`)
  if (label) {
    if (!label.id) label.id = `${textarea.id}-label`
    area.setAttribute("aria-labelledby", label.id)
  }
  const help = textarea.getAttribute("aria-describedby")
  if (help) area.setAttribute("aria-describedby", help)
  area.setAttribute("aria-multiline", "true")
}

export const GermanMenu = Extension.create({
  name: "germanMenu",
  // After every other extension, so that their menu items exist.
  priority: 1,

  onBeforeCreate() {
    // Tiptap's base styles come as an inline <style>, which the Content-Security-Policy refuses
    // (style-src 'self'); django-prose-editor's stylesheet brings what the editor needs.
    this.editor.options.injectCSS = false
  },

  onCreate() {
    nameEditingArea(this.editor)
    const editorElement = this.editor.view.dom.closest(".prose-editor")
    if (!editorElement) return
    editorElement.querySelectorAll(".prose-menubar__button").forEach(hideIconName)
    const menubar = editorElement.querySelector(".prose-menubar")
    if (menubar) announceDisabledButtons(menubar)
  },

  addMenuItems({ menu }) {
    const groups = "blockType nodes headings lists marks textAlign history link utility"
    for (const item of menu.items(groups)) {
      const name = nameOf(item)
      if (!name) continue
      if (item.button) {
        item.button.title = name
        item.button.setAttribute("aria-label", name)
        hideIconName(item.button)
      }
      if (item.option) item.option.textContent = name
    }
  },
})
