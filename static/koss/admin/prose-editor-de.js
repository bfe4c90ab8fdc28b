// django-prose-editor names its menu buttons and block types in English without gettext
// ("heading 2", "Paragraph", "bold"). This editor extension renames them through the admin's
// JavaScript catalogue (locale/de/LC_MESSAGES/djangojs.po): extensions add their menu items
// after the default ones and before the menu is built, so the names are German from the start.
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

export const GermanMenu = Extension.create({
  name: "germanMenu",
  // After every other extension, so that their menu items exist.
  priority: 1,

  addMenuItems({ menu }) {
    const groups = "blockType nodes headings lists marks textAlign history link utility"
    for (const item of menu.items(groups)) {
      const name = nameOf(item)
      if (!name) continue
      if (item.button) {
        item.button.title = name
        item.button.setAttribute("aria-label", name)
      }
      if (item.option) item.option.textContent = name
    }
  },
})
