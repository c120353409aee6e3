import { TRPCError } from "@trpc/server";
import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { uniq } from "./support/uniq";

async function staffApi() {
  const { deps, bus, clock } = testDeps();
  const agent = await makeUser("AGENT", { name: "Autora" });
  return { deps, bus, clock, agent, api: await callerFor(deps, agent.id) };
}

describe("knowledge-base articles", () => {
  it("a draft is invisible to the public until published; every save is a version; each change is announced for indexing", async () => {
    const { deps, bus, api, clock } = await staffApi();
    const slug = `configurar-impresora-${uniq()}`;
    const created = await api.kb.create({ title: "Configurar la impresora", bodyMarkdown: "## Pasos\n\n1. Encender\n2. Conectar", tags: ["Impresora", "red"], slug });
    const anon = await callerFor(deps, null);
    await expect(anon.kb.article({ language: "es", slug })).rejects.toMatchObject({ code: "NOT_FOUND" });

    clock.advance(60_000);
    await api.kb.update({ id: created.id, title: "Configurar la impresora de red", bodyMarkdown: "## Pasos\n\n1. Encender\n2. Conectar al wifi", tags: ["impresora", "red", "wifi"] });
    await api.kb.publish({ id: created.id, published: true });
    const page = await anon.kb.article({ language: "es", slug });
    expect(page.title).toBe("Configurar la impresora de red");
    expect(page.tags).toEqual(["impresora", "red", "wifi"]);
    expect(page.html).toContain("<h2");
    expect(page.html).toContain("<ol>");

    const editing = await api.kb.forEditing({ id: created.id });
    expect(editing.versions.map((v) => v.title)).toEqual(["Configurar la impresora de red", "Configurar la impresora"]);
    expect(bus.events.filter((e) => e.type === "article.changed")).toHaveLength(3);

    await api.kb.publish({ id: created.id, published: false });
    await expect(anon.kb.article({ language: "es", slug })).rejects.toMatchObject({ code: "NOT_FOUND" });
  });

  it("renders Markdown safely: no scripts or foreign iframes, allowlisted videos embedded", async () => {
    const { api, deps } = await staffApi();
    const slug = `video-${uniq()}`;
    const a = await api.kb.create({
      slug,
      title: "Vídeo",
      bodyMarkdown: 'Mire el vídeo:\n\nhttps://www.youtube.com/watch?v=dQw4w9WgXcQ\n\n<script>alert(1)</script>\n\n<iframe src="https://evil.example/x"></iframe>\n\n[enlace](javascript:alert(1))',
    });
    await api.kb.publish({ id: a.id, published: true });
    const { html } = await (await callerFor(deps, null)).kb.article({ language: "es", slug });
    expect(html).toContain('src="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"');
    expect(html).not.toContain("<script");
    expect(html).not.toContain("evil.example");
    expect(html).not.toContain("javascript:");
  });

  it("only staff write articles; slugs are unique per language; translations are linked", async () => {
    const { api, deps } = await staffApi();
    const customer = await callerFor(deps, (await makeUser()).id);
    await expect(customer.kb.create({ title: "x", bodyMarkdown: "y" })).rejects.toMatchObject({ code: "FORBIDDEN" });
    const slug = `duplicado-${uniq()}`;
    const es = await api.kb.create({ title: "Uno", bodyMarkdown: "x", slug });
    const err = await api.kb.create({ title: "Dos", bodyMarkdown: "x", slug }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TRPCError);
    expect((err as TRPCError).message).toBe("Ya existe un artículo con esa dirección en este idioma.");
    const en = await api.kb.create({ title: "One", bodyMarkdown: "x", slug, language: "en", translationOf: es.id });
    await api.kb.publish({ id: es.id, published: true });
    await api.kb.publish({ id: en.id, published: true });
    const page = await (await callerFor(deps, null)).kb.article({ language: "es", slug });
    expect(page.translations).toEqual([{ language: "en", slug, title: "One" }]);
  });
});

describe("¿Le ha sido útil este artículo?", () => {
  it("one vote per visitor; a No needs a reason; agents see rates, votes and reasons", async () => {
    const { api, deps } = await staffApi();
    const a = await api.kb.create({ title: "Votar", bodyMarkdown: "x", slug: `votar-${uniq()}` });
    await api.kb.publish({ id: a.id, published: true });
    const anon = await callerFor(deps, null);
    const noReason = await anon.kb.vote({ articleId: a.id, helpful: false, visitorKey: "visitor-aaaa" }).catch((e: unknown) => e);
    expect((noReason as TRPCError).message).toBe("Seleccione al menos una de las razones");
    await anon.kb.vote({ articleId: a.id, helpful: false, reasons: ["OUTDATED", "HARD_TO_UNDERSTAND"], comment: "Las capturas son viejas", visitorKey: "visitor-aaaa" });
    const twice = await anon.kb.vote({ articleId: a.id, helpful: true, visitorKey: "visitor-aaaa" }).catch((e: unknown) => e);
    expect((twice as TRPCError).message).toBe("Ya ha valorado este artículo. ¡Gracias!");
    await anon.kb.vote({ articleId: a.id, helpful: true, visitorKey: "visitor-bbbb" });
    await anon.kb.vote({ articleId: a.id, helpful: true, visitorKey: "visitor-cccc" });
    await anon.kb.recordView({ articleId: a.id });

    const stats = (await api.kb.stats()).find((s) => s.id === a.id)!;
    expect(stats).toMatchObject({ yes: 2, no: 1, views: 1, reasons: { OUTDATED: 1, HARD_TO_UNDERSTAND: 1 } });
    expect(stats.helpfulRate).toBeCloseTo(2 / 3);
    expect(await db.articleFeedback.count({ where: { articleId: a.id } })).toBe(3);
    await expect(anon.kb.stats()).rejects.toMatchObject({ code: "UNAUTHORIZED" });
  });
});
