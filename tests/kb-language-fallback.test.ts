import { describe, expect, it } from "vitest";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { uniq } from "./support/uniq";

/** Issue 14: the English knowledge base listed nothing where only Spanish articles existed. */
describe("knowledge base: English falls back to Spanish where no translation exists", () => {
  it("an English reader's lists show each article once: the English translation if published, else the Spanish original", async () => {
    const { deps } = testDeps();
    const agent = await callerFor(deps, (await makeUser("AGENT")).id);
    const anon = await callerFor(deps, null);
    const tag = uniq();
    const category = await db.kbCategory.create({ data: { slug: `impresoras-${tag}`, nameEs: `Impresoras ${tag}`, nameEn: `Printers ${tag}` } });

    const onlySpanish = await agent.kb.create({ title: "La impresora no imprime", bodyMarkdown: "Apáguela y enciéndala.", slug: `impresora-${tag}`, categoryId: category.id });
    const translated = await agent.kb.create({ title: "Cambiar el tóner", bodyMarkdown: "Abra la tapa.", slug: `toner-${tag}`, categoryId: category.id });
    const english = await agent.kb.create({ title: "Replacing the toner", bodyMarkdown: "Open the cover.", slug: `toner-en-${tag}`, language: "en", translationOf: translated.id, categoryId: category.id });
    const draftTranslation = await agent.kb.create({ title: "Atasco de papel", bodyMarkdown: "Retire el papel.", slug: `atasco-${tag}`, categoryId: category.id });
    await agent.kb.create({ title: "Paper jam (draft)", bodyMarkdown: "Remove the paper.", slug: `jam-${tag}`, language: "en", translationOf: draftTranslation.id, categoryId: category.id });
    const draft = await agent.kb.create({ title: "Borrador", bodyMarkdown: "Aún no.", slug: `borrador-${tag}`, categoryId: category.id });
    for (const a of [onlySpanish, translated, english, draftTranslation]) await agent.kb.publish({ id: a.id, published: true });

    const en = await anon.kb.category({ language: "en", slug: category.slug });
    const shown = (en?.articles ?? []).map((a) => `${a.language}:${a.slug}`).sort();
    // The Spanish original of a published translation is not listed twice; an unpublished translation does not hide its original.
    expect(shown).toEqual([`en:toner-en-${tag}`, `es:atasco-${tag}`, `es:impresora-${tag}`].sort());
    expect(shown).not.toContain(`es:borrador-${tag}`);
    expect(draft.id).toBeTruthy();

    const es = await anon.kb.category({ language: "es", slug: category.slug });
    expect((es?.articles ?? []).map((a) => a.slug).sort()).toEqual([`atasco-${tag}`, `impresora-${tag}`, `toner-${tag}`].sort());

    const homeEn = await anon.kb.home({ language: "en" });
    expect(homeEn.categories.find((c) => c.id === category.id)?._count.articles).toBe(3);
    const homeEs = await anon.kb.home({ language: "es" });
    expect(homeEs.categories.find((c) => c.id === category.id)?._count.articles).toBe(3);
  });

  it("the English home lists Spanish articles, marked as Spanish, when nothing is translated", async () => {
    const { deps } = testDeps();
    const agent = await callerFor(deps, (await makeUser("AGENT")).id);
    const tag = uniq();
    const a = await agent.kb.create({ title: `Restablecer la contraseña ${tag}`, bodyMarkdown: "Pulse «¿Olvidó su contraseña?».", slug: `contrasena-${tag}` });
    await agent.kb.publish({ id: a.id, published: true });
    await db.article.update({ where: { id: a.id }, data: { views: 1_000_000 } });
    const home = await (await callerFor(deps, null)).kb.home({ language: "en" });
    expect(home.popular[0]).toMatchObject({ slug: `contrasena-${tag}`, language: "es" });
  });
});
