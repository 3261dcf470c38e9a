/* global document, window, fetch, DOMParser, setInterval */
// Progressive enhancement for the panel (no inline scripts: the CSP forbids them).
// 1. Live updates: an element with data-poll-url asks the server every 10 s for a
//    fingerprint; when it changes, the page is fetched again and that element replaced with
//    the server-rendered (already escaped) version. Forms the user is typing in are untouched.
// 2. Canned replies: picking one fills the reply box.
'use strict'

function startPolling() {
  const live = document.querySelector('[data-poll-url]')
  if (!live) return
  let signature = null
  const id = live.id
  const tick = async () => {
    try {
      const res = await fetch(live.dataset.pollUrl, {
        credentials: 'same-origin',
        headers: { accept: 'application/json' },
      })
      if (!res.ok) return
      const body = await res.json()
      if (signature !== null && body.signature !== signature) {
        const page = await fetch(window.location.href, { credentials: 'same-origin' })
        const doc = new DOMParser().parseFromString(await page.text(), 'text/html')
        const fresh = doc.getElementById(id)
        const current = document.getElementById(id)
        if (fresh && current) current.replaceWith(document.importNode(fresh, true))
      }
      signature = body.signature
    } catch {
      // offline for a moment: try again at the next tick
    }
  }
  tick()
  setInterval(tick, Number(document.body.dataset.pollMs) || 10000)
}

function cannedReplies() {
  for (const select of document.querySelectorAll('select[data-canned-for]')) {
    select.addEventListener('change', () => {
      const target = document.getElementById(select.dataset.cannedFor)
      if (target && select.value) target.value = select.value
    })
  }
}

startPolling()
cannedReplies()
