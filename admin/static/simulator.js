/* global document, window, fetch, setTimeout, crypto */
// The simulator page: chats with the bot through the public web channel API, as a woman would
// from her phone. Everything is shown with textContent: replies are never parsed as HTML.
'use strict'

const log = document.getElementById('sim-log')
const userInput = document.getElementById('sim-user-id')
const form = document.getElementById('sim-form')
const text = document.getElementById('sim-text')
const KEY = 'minka.simulator.user'

function newUser() {
  userInput.value = `sim-${crypto.randomUUID().slice(0, 8)}`
  window.localStorage.setItem(KEY, userInput.value)
  render([])
}

function render(messages) {
  log.replaceChildren()
  if (messages.length === 0) {
    const li = document.createElement('li')
    li.className = 'muted'
    li.textContent = log.dataset.empty
    log.append(li)
  }
  for (const m of messages) {
    const li = document.createElement('li')
    li.className = m.from === 'user' ? 'msg msg-her' : 'msg msg-bot'
    const p = document.createElement('p')
    p.className = 'msg-text'
    if (m.from === 'user') p.textContent = m.text ?? m.choice ?? ''
    else if (m.payload.kind === 'choice') {
      p.textContent = [
        m.payload.text,
        ...m.payload.options.map((o, i) => `${i + 1}. ${o.label}`),
      ].join('\n')
    } else p.textContent = m.payload.text ?? m.payload.caption ?? ''
    li.append(p)
    log.append(li)
  }
  log.lastElementChild?.scrollIntoView({ block: 'end' })
}

async function refresh() {
  const res = await fetch(`/api/simulator/messages?userId=${encodeURIComponent(userInput.value)}`)
  if (res.ok) render((await res.json()).messages)
}

form.addEventListener('submit', async (event) => {
  event.preventDefault()
  const body = JSON.stringify({ userId: userInput.value, text: text.value })
  text.value = ''
  await fetch('/api/simulator/messages', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  })
  for (const wait of [300, 700, 1500]) {
    await new Promise((r) => setTimeout(r, wait))
    await refresh()
  }
})
document.getElementById('sim-new').addEventListener('click', newUser)
userInput.addEventListener('change', () => {
  window.localStorage.setItem(KEY, userInput.value)
  refresh()
})

const saved = window.localStorage.getItem(KEY)
if (saved) {
  userInput.value = saved
  refresh()
} else newUser()
