/* global document, fetch */
// Shows WhatsApp's pairing QR on the settings page when the channel is waiting to be paired.
'use strict'

const box = document.getElementById('whatsapp-qr')
if (box) {
  fetch(box.dataset.url, { credentials: 'same-origin' })
    .then((res) => (res.ok ? res.json() : undefined))
    .then((state) => {
      if (!state) return
      document.getElementById('whatsapp-message').textContent = state.message ?? ''
      if (typeof state.qrDataUrl === 'string' && state.qrDataUrl.startsWith('data:image/')) {
        const img = document.getElementById('whatsapp-img')
        img.src = state.qrDataUrl
        img.hidden = false
      }
    })
    .catch(() => {})
}
