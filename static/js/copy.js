// A button with data-copy="ID" copies the text of the element with that id and says so in the
// status element data-copy-status="ID". Without JavaScript the button stays hidden and the text
// can be selected by hand.
(function () {
  function select (element) {
    const range = document.createRange()
    range.selectNodeContents(element)
    const selection = window.getSelection()
    selection.removeAllRanges()
    selection.addRange(range)
  }

  document.querySelectorAll('button[data-copy]').forEach(function (button) {
    const source = document.getElementById(button.dataset.copy)
    const status = document.querySelector('[data-copy-status="' + button.dataset.copy + '"]')
    if (!source || !status) {
      return
    }
    button.hidden = false
    button.addEventListener('click', function () {
      const text = source.textContent.trim()
      const copied = function () {
        status.textContent = button.dataset.copied
      }
      const failed = function () {
        select(source)
        status.textContent = button.dataset.failed
      }
      // Emptied first, so that a second click is announced again.
      status.textContent = ''
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(text).then(copied, failed)
      } else {
        failed()
      }
    })
  })
})()
