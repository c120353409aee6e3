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
    allowedSchemes: ["http", "https", "mailto", "data"],
    allowedSchemesByTag: { img: ["data", "cid", "http", "https"] },
    transformTags: {
      a: (tagName, attribs) => ({ tagName, attribs: { ...attribs, rel: "noopener noreferrer nofollow", target: "_blank" } }),
      img: (tagName, attribs) => {
        const src = attribs.src ?? "";
        if (src.startsWith("cid:")) {
          const url = cidUrls[src.slice(4)];
          return { tagName, attribs: { ...attribs, src: url ?? "" } };
        }
        if (/^https?:/i.test(src)) {
          const { src: _src, ...rest } = attribs;
          return { tagName, attribs: { ...rest, "data-remote-src": src } };
        }
        return { tagName, attribs };
      },
    },
  });
}
