// A tracked email's HTML part (issue 15 §1): the text as written, escaped, its line breaks kept and
// its web links made clickable, each through the href a caller gives (Patron's click redirect),
// and a 1×1 picture whose loading counts an open. Pure: the caller signs the URLs.

/** A piece of a text: words, or a web link as written. */
export type Piece = { text: string } | { link: string }

// A link runs over printable ASCII less space, quotes, angle brackets and the backtick: it ends at
// the first of those or at a non-ASCII character (a Chinese sentence often goes on right after a
// link); punctuation that ends a sentence is not part of it.
const LINK = /https?:\/\/[!#-&(-;=?-_a-~]+/gi
const TRAILING = '.,;:!?'
const CLOSERS: Record<string, string> = { ')': '(', ']': '[', '}': '{' }

const count = (s: string, c: string) => s.split(c).length - 1

const trimLink = (raw: string): string => {
  let s = raw
  for (;;) {
    const last = s.at(-1) ?? ''
    if (TRAILING.includes(last)) s = s.slice(0, -1)
    // A closing bracket is the sentence's when the link opened none: "(see https://x.cn/a)".
    else if (CLOSERS[last] && count(s, CLOSERS[last]) < count(s, last)) s = s.slice(0, -1)
    else return s
  }
}

/** Whether a string is an http(s) URL with a host: what a click may be sent to. */
export const isWebUrl = (s: string): boolean => {
  if (!/^https?:\/\//i.test(s)) return false
  try {
    return new URL(s).host !== ''
  } catch {
    return false
  }
}

/** The text cut into words and web links, in order. */
export const pieces = (text: string): Piece[] => {
  const out: Piece[] = []
  let at = 0
  for (const m of text.matchAll(LINK)) {
    const link = trimLink(m[0])
    if (!isWebUrl(link)) continue
    if (m.index > at) out.push({ text: text.slice(at, m.index) })
    out.push({ link })
    at = m.index + link.length
  }
  if (at < text.length) out.push({ text: text.slice(at) })
  return out
}

/** The distinct web links of a text, in order of first use, less those `track` leaves alone. */
export const trackedLinks = (text: string, track: (url: string) => boolean = () => true): string[] =>
  [...new Set(pieces(text).flatMap((p) => ('link' in p && track(p.link) ? [p.link] : [])))]

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!)
const withBreaks = (s: string) => escapeHtml(s).replace(/\r\n|\r|\n/g, '<br>\n')

/**
 * The HTML part of an email whose text is `text`: each link shown as written and pointing to
 * `href(link)`, and, when `pixel` is given, a 1×1 picture from it (not hidden with display:none:
 * some clients then never load it).
 */
export const emailHtml = (text: string, { href, pixel }: { href: (link: string) => string; pixel: string | null }): string => {
  const body = pieces(text).map((p) => ('link' in p ? `<a href="${escapeHtml(href(p.link))}">${escapeHtml(p.link)}</a>` : withBreaks(p.text))).join('')
  const img = pixel ? `<img src="${escapeHtml(pixel)}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">` : ''
  return `<!DOCTYPE html>\n<html><head><meta charset="utf-8"></head><body><div style="font-family:sans-serif;font-size:14px;line-height:1.6">${body}</div>${img}</body></html>\n`
}

/** A transparent 1×1 GIF: what the open pixel answers, whatever the token. */
export const PIXEL_GIF = Buffer.from('R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7', 'base64')
