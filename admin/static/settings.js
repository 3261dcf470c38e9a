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

// Pairing by code, for a phone without a second screen to scan the QR from.
const pairing = document.getElementById('whatsapp-pairing')
if (pairing) {
  pairing.addEventListener('submit', (event) => {
    event.preventDefault()
    const out = document.getElementById('whatsapp-code')
    fetch(pairing.dataset.url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'content-type': 'application/json', 'x-csrf-token': pairing.dataset.csrf },
      body: JSON.stringify({ phone: document.getElementById('whatsapp-phone').value.trim() }),
    })
      .then((res) => (res.ok ? res.json() : undefined))
      .then((body) => {
        out.textContent = body && typeof body.code === 'string' ? body.code : pairing.dataset.failed
      })
      .catch(() => {
        out.textContent = pairing.dataset.failed
      })
  })
}
