import sanitizeHtml from "sanitize-html";

/**
 * Links kept in one mail; later ones become their text (a `<span>`). A hostile mail of 200,000
 * links would otherwise come out twice its size (each link gains rel and target) and cost the
 * agent's browser as much again.
 */
export const MAX_MAIL_LINKS = 500;

/**
 * Mail HTML made safe to show inside the app: no scripts, styles that escape, event handlers or
 * forms; remote images are kept but not loaded (`data-remote-src`) until an agent asks, so tracking
 * pixels never fire; `cid:` images point at the stored attachment; at most MAX_MAIL_LINKS links.
 */
export function sanitizeMailHtml(html: string, cidUrls: Record<string, string> = {}, maxLinks = MAX_MAIL_LINKS): string {
  let links = 0;
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(["img", "span", "font", "center"]),
    allowedAttributes: {
      a: ["href", "title", "rel", "target"],
      img: ["src", "alt", "width", "height", "data-remote-src"],
      td: ["colspan", "rowspan", "align"],
      th: ["colspan", "rowspan", "align"],
      "*": ["dir", "lang"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedSchemesByTag: { img: ["data", "cid", "http", "https"] },
    transformTags: {
      a: (tagName, attribs) =>
        ++links > maxLinks ? { tagName: "span", attribs: {} } : { tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow", target: "_blank" } },
      img: (tagName, attribs) => {
        // Only our stored attachments and inline data: images load. Every other src is put aside,
        // whatever its spelling ("//host", " https:", a tab inside "https", "\\host", "/api/…" on our origin),
        // and a data-remote-src the mail itself carries is dropped.
        const { src: rawSrc = "", "data-remote-src": _carried, ...rest } = attribs;
        const src = rawSrc.trim();
        if (/^cid:/i.test(src)) return { tagName, attribs: { ...rest, src: cidUrls[src.slice(4)] ?? "" } };
        if (/^data:image\//i.test(src)) return { tagName, attribs: { ...rest, src } };
        return { tagName, attribs: src ? { ...rest, "data-remote-src": src } : rest };
      },
    },
  });
}
