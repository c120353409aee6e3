import sanitizeHtml from "sanitize-html";

/**
 * Mail HTML made safe to show inside the app: no scripts, styles that escape, event handlers or
 * forms; remote images are kept but not loaded (`data-remote-src`) until an agent asks, so tracking
 * pixels never fire; `cid:` images point at the stored attachment.
 */
export function sanitizeMailHtml(html: string, cidUrls: Record<string, string> = {}): string {
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
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow", target: "_blank" } }),
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
