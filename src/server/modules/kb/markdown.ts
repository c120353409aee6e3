import { Marked } from "marked";
import sanitizeHtml from "sanitize-html";

const marked = new Marked({ gfm: true, breaks: false });

/** Video hosts whose players may be embedded; anything else stays a plain link. */
const VIDEO_EMBEDS: Array<{ match: RegExp; embed: (id: string) => string }> = [
  { match: /^https?:\/\/(?:www\.)?(?:youtube\.com\/watch\?v=|youtu\.be\/)([\w-]{6,20})\S*$/, embed: (id) => `https://www.youtube-nocookie.com/embed/${id}` },
  { match: /^https?:\/\/(?:www\.)?vimeo\.com\/(\d{4,12})\S*$/, embed: (id) => `https://player.vimeo.com/video/${id}` },
];

/** A line holding only an allowlisted video URL becomes an embedded player. */
function embedVideos(markdown: string): string {
  return markdown
    .split("\n")
    .map((line) => {
      const url = line.trim();
      for (const v of VIDEO_EMBEDS) {
        const m = v.match.exec(url);
        if (m) return `<iframe src="${v.embed(m[1]!)}" title="video" width="560" height="315" allowfullscreen></iframe>`;
      }
      return line;
    })
    .join("\n");
}

/** Article Markdown (headings, numbered steps, images, links, videos) as HTML safe to serve publicly. */
export function renderMarkdown(markdown: string): string {
  const html = marked.parse(embedVideos(markdown), { async: false });
  return sanitizeHtml(html, {
    allowedTags: sanitizeHtml.defaults.allowedTags.concat(["img", "iframe", "h1", "h2"]),
    allowedAttributes: {
      a: ["href", "title", "rel"],
      img: ["src", "alt", "title", "width", "height"],
      iframe: ["src", "title", "width", "height", "allowfullscreen"],
      code: ["class"],
      "*": ["id"],
    },
    allowedSchemes: ["http", "https", "mailto"],
    allowedIframeHostnames: ["www.youtube-nocookie.com", "player.vimeo.com"],
    transformTags: { a: sanitizeHtml.simpleTransform("a", { rel: "noopener noreferrer" }) },
  });
}

/** The words of an article without its Markdown syntax: what search indexes and snippets show. */
export function markdownToPlain(markdown: string): string {
  const html = marked.parse(markdown, { async: false });
  return sanitizeHtml(html, { allowedTags: [], allowedAttributes: {} })
    .replace(/&nbsp;/g, " ")
    .replace(/&amp;/g, "&")
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/\s+/g, " ")
    .trim();
}
