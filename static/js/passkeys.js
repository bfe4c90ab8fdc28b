// When a passkey ceremony fails or is cancelled, allauth's webauthn.js announces it with an
// "allauth.error" event; the page's own message (#passkey-error) is shown instead of a console
// entry only.
(function () {
  document.addEventListener('allauth.error', function (event) {
    const message = document.getElementById('passkey-error')
    if (message) {
      event.preventDefault()
      message.hidden = false
    }
  })
})()
