import { Meilisearch } from "meilisearch";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { env } from "~/env";
import { indexArticle, searchDocumentOf } from "~/server/modules/kb/index-article";
import { reindexAll, type ReindexProgress } from "~/server/modules/kb/reindex";
import type { SearchEngine, SearchHit } from "~/server/modules/kb/search/engine";
import { meiliReachable, meiliSearchEngine } from "~/server/adapters/meilisearch/meili-engine";
import { pgSearchEngine } from "~/server/modules/kb/search/pg-engine";
import { createWorkerDeps } from "../workers/bootstrap";
import { startKbIndexWorker } from "../workers/kb-index";
import { callerFor, db, makeUser, testDeps } from "./support/fixtures";
import { eventually } from "./support/wait";
import { uniq } from "./support/uniq";
import { silentLogger } from "~/server/observability/logger";

// The search contract, run on every engine behind it: PostgreSQL always, Meilisearch where a
// server answers at MEILI_URL. Documents are written the way the app writes them: from real
// Article rows (PostgreSQL's index references them), through indexArticle or upsert.

interface EngineCase {
  name: string;
  /** Whether its server answers here; the contract is skipped (and says why) where it does not. */
  available: boolean;
  make(): SearchEngine;
  cleanup?(): Promise<void>;
}

const MEILI_PREFIX = `vt_test_${process.env.VT_TEST_RUN ?? process.pid}`;
const meiliUp = await meiliReachable(env.MEILI_URL);
// Both engines run the same contract; Meilisearch's only where a server answers (none on this machine).
const engines: EngineCase[] = [
  { name: "PostgreSQL", available: true, make: () => pgSearchEngine(db) },
  {
    name: "Meilisearch",
    available: meiliUp,
    make: () => meiliSearchEngine({ url: env.MEILI_URL!, apiKey: env.MEILI_MASTER_KEY, indexPrefix: MEILI_PREFIX }),
    async cleanup() {
      const client = new Meilisearch({ host: env.MEILI_URL!, apiKey: env.MEILI_MASTER_KEY });
      for (const lang of ["es", "en"]) await client.deleteIndex(`${MEILI_PREFIX}_${lang}`).waitTask();
    },
  },
];
if (!meiliUp) console.log(`Meilisearch engine: skipped, no server at MEILI_URL${env.MEILI_URL ? ` (${env.MEILI_URL})` : " (not set)"}`);

interface ArticleSpec {
  title: string;
  body: string;
  tags?: string[];
  language?: "es" | "en";
  categoryId?: string | null;
  state?: "PUBLISHED" | "DRAFT";
}

/** A real article row (what the index refers to), not yet indexed. */
async function makeArticle(spec: ArticleSpec) {
  const id = `kbs-${uniq()}`;
  return db.article.create({
    data: {
      id,
      slug: id,
      language: spec.language ?? "es",
      translationKey: id,
      title: spec.title,
      bodyMarkdown: spec.body,
      tags: spec.tags ?? [],
      categoryId: spec.categoryId ?? null,
      state: spec.state ?? "PUBLISHED",
      updatedAt: new Date(),
    },
  });
}

const ids = (hits: SearchHit[]) => hits.map((h) => h.articleId);

const searchContract = (engineCase: EngineCase) => {
  let engine: SearchEngine;

  /** Creates the article and indexes it as the index job would. */
  async function published(spec: ArticleSpec) {
    const a = await makeArticle(spec);
    await engine.upsert(searchDocumentOf(a));
    return a;
  }

  beforeAll(() => {
    engine = engineCase.make();
  });
  beforeEach(async () => {
    await engine.clear();
    await engine.setSynonyms("es", []);
    await engine.setSynonyms("en", []);
  });
  afterAll(async () => {
    await engine.clear();
    await engineCase.cleanup?.();
  });

  it("ignores accents both ways: 'configuracion' finds 'configuración', 'impresión' finds 'impresion'", async () => {
    const a = await published({ title: "Configuración de la impresora", body: "Abra el panel y revise la configuración de red." });
    const b = await published({ title: "Cola de impresion", body: "La cola se vacia sola." });
    expect(ids(await engine.search({ q: "configuracion", language: "es" }))).toEqual([a.id]);
    expect(ids(await engine.search({ q: "CONFIGURACIÓN", language: "es" }))).toEqual([a.id]);
    expect(ids(await engine.search({ q: "impresión", language: "es" }))).toContain(b.id);
  });

  it("indexes «words in guillemets» and highlights ñ words found without the tilde", async () => {
    const a = await published({ title: "Guardar los cambios", body: "Escriba la nueva contraseña y pulse «Aceptar» para confirmar." });
    expect(ids(await engine.search({ q: "aceptar", language: "es" }))).toEqual([a.id]);
    const [hit] = await engine.search({ q: "contrasena", language: "es" });
    expect(hit?.articleId).toBe(a.id);
    expect(hit!.snippet).toContain("<mark>contraseña</mark>");
  });

  it("forgives one typo: 'impresroa' finds 'impresora', 'pasword' finds 'password'", async () => {
    const es = await published({ title: "La impresora no imprime", body: "Compruebe el papel y el tóner de la impresora." });
    const en = await published({ title: "Reset your password", body: "Open the sign-in page and choose to reset the password.", language: "en" });
    expect(ids(await engine.search({ q: "impresroa", language: "es" }))).toEqual([es.id]);
    expect(ids(await engine.search({ q: "pasword", language: "en" }))).toEqual([en.id]);
    expect(ids(await engine.search({ q: "impresroa no imprime", language: "es" }))).toEqual([es.id]);
    // Whose stem ("bill") looks nothing like the typo: the word itself does.
    const billing = await published({ title: "Billing questions", body: "Invoices are sent monthly.", language: "en" });
    expect(ids(await engine.search({ q: "blling", language: "en" }))).toEqual([billing.id]);
  });

  it("finds an article by a tag the text never mentions", async () => {
    const tagged = await published({ title: "Cambiar el cartucho", body: "Abra la tapa frontal y retire la pieza gastada.", tags: ["tóner", "periféricos"] });
    await published({ title: "Otra cosa", body: "Nada que ver con cartuchos." });
    expect(ids(await engine.search({ q: "toner", language: "es" }))).toEqual([tagged.id]);
  });

  it("ranks a title match above body matches, however many, and a tag match above the body too", async () => {
    const body = await published({
      title: "Preguntas frecuentes de la cuenta",
      body: Array.from({ length: 12 }, () => "Si olvidó la contraseña, pida una nueva contraseña.").join(" "),
    });
    const title = await published({ title: "Restablecer la contraseña", body: "Siga los pasos del asistente de acceso." });
    const tag = await published({ title: "Acceso al portal", body: "Entre con su usuario.", tags: ["contraseña"] });
    expect(ids(await engine.search({ q: "contraseña", language: "es" }))).toEqual([title.id, tag.id, body.id]);
  });

  it("filters by language, category and tag", async () => {
    const cat = await db.kbCategory.create({ data: { slug: `cat-${uniq()}`, nameEs: "Correo", nameEn: "Email" } });
    const es = await published({ title: "Configurar Outlook", body: "Outlook en el móvil.", tags: ["correo"], categoryId: cat.id });
    const en = await published({ title: "Set up Outlook", body: "Outlook on your phone.", language: "en", tags: ["email"] });
    expect(ids(await engine.search({ q: "outlook", language: "es" }))).toEqual([es.id]);
    expect(ids(await engine.search({ q: "outlook", language: "en" }))).toEqual([en.id]);
    expect(ids(await engine.search({ q: "outlook" })).sort()).toEqual([es.id, en.id].sort());
    expect(ids(await engine.search({ q: "outlook", categoryId: cat.id }))).toEqual([es.id]);
    expect(ids(await engine.search({ q: "outlook", tag: "email" }))).toEqual([en.id]);
    expect(await engine.search({ q: "outlook", tag: "nada" })).toEqual([]);
  });

  it("returns title, highlighted snippet, category and tags", async () => {
    const cat = await db.kbCategory.create({ data: { slug: `cat-${uniq()}`, nameEs: "Redes", nameEn: "Networks" } });
    const a = await published({ title: "La VPN se desconecta", body: "Cuando la VPN se corta, reinicie el cliente y vuelva a conectar.", tags: ["vpn", "red"], categoryId: cat.id });
    const [hit] = await engine.search({ q: "reinicie cliente", language: "es" });
    expect(hit).toMatchObject({ articleId: a.id, slug: a.slug, language: "es", title: "La VPN se desconecta", categoryId: cat.id, tags: ["vpn", "red"] });
    expect(hit!.snippet).toContain("<mark>reinicie</mark>");
    expect(hit!.snippet).toContain("<mark>cliente</mark>");
  });

  it("escapes the snippet: only its own <mark> is HTML, and a document cannot forge one", async () => {
    const a = await published({
      title: "Impresora y HTML",
      // Code spans keep their text: the plain body really holds "<script>…" and "<b>".
      body: 'Si la impresora muestra `<script>alert("x")</script>` & `<b>negrita</b>`, o \uE000falso\uE001, ignórelo: la impresora funciona.',
    });
    const [hit] = await engine.search({ q: "impresora", language: "es" });
    expect(hit?.articleId).toBe(a.id);
    expect(hit!.snippet).toContain("<mark>impresora</mark>");
    // PostgreSQL's ts_headline drops what its parser takes for tags; Meilisearch keeps them. Either
    // way nothing of the body reaches the page as markup.
    expect(hit!.snippet).toMatch(/&lt;script&gt;|alert\(&quot;x&quot;\)/);
    expect(hit!.snippet).toContain("&amp;");
    expect(hit!.snippet).not.toContain("<mark>falso</mark>");
    expect(hit!.snippet.replaceAll("<mark>", "").replaceAll("</mark>", "")).not.toMatch(/[<>]/);
  });

  it("expands synonyms, both ways, and forgets them when the group is removed", async () => {
    const a = await published({ title: "El laptop no carga", body: "Revise el cargador del laptop." });
    expect(await engine.search({ q: "portátil", language: "es" })).toEqual([]);
    await engine.setSynonyms("es", [["portátil", "laptop"]]);
    expect(ids(await engine.search({ q: "portatil", language: "es" }))).toEqual([a.id]);
    const b = await published({ title: "Batería del portátil", body: "Calibre la batería." });
    expect(ids(await engine.search({ q: "laptop", language: "es" })).sort()).toEqual([a.id, b.id].sort());
    await engine.setSynonyms("es", []);
    expect(ids(await engine.search({ q: "portátil", language: "es" }))).toEqual([b.id]);
  });

  it("upsert is idempotent and replaces; remove is idempotent", async () => {
    const a = await makeArticle({ title: "Vaciar la papelera", body: "La papelera se vacía cada treinta días." });
    await engine.upsert(searchDocumentOf(a));
    await engine.upsert(searchDocumentOf(a));
    expect(ids(await engine.search({ q: "papelera", language: "es" }))).toEqual([a.id]);
    await engine.upsert(searchDocumentOf({ ...a, title: "Recuperar archivos borrados", bodyMarkdown: "Desde el historial de versiones." }));
    expect(await engine.search({ q: "papelera", language: "es" })).toEqual([]);
    expect(ids(await engine.search({ q: "historial", language: "es" }))).toEqual([a.id]);
    await engine.remove(a.id);
    await engine.remove(a.id);
    await engine.remove(`never-indexed-${uniq()}`);
    expect(await engine.search({ q: "historial", language: "es" })).toEqual([]);
  });

  it("a draft is never served: create, publish, unpublish, delete through the kb router, each followed by its index job", async () => {
    const { deps, bus } = testDeps({ search: engine });
    const agent = await makeUser("AGENT");
    const api = await callerFor(deps, agent.id);
    const anon = await callerFor(deps, null);
    const runJobs = async () => {
      for (const e of bus.events.splice(0)) if (e.type === "article.changed") await indexArticle(deps, e.articleId);
    };
    const word = `zafiro${uniq().replace(/\d/g, "x")}`;

    const created = await api.kb.create({ title: `Borrador ${word}`, bodyMarkdown: `Texto del **borrador** ${word}.`, slug: `borrador-${uniq()}` });
    await runJobs();
    expect(await anon.kb.search({ q: word })).toEqual([]);

    await api.kb.publish({ id: created.id, published: true });
    await runJobs();
    const hits = await anon.kb.search({ q: word });
    expect(ids(hits)).toEqual([created.id]);
    expect(hits[0]!.snippet).toContain(`<mark>${word}</mark>`);
    expect(hits[0]!.snippet).not.toContain("**");

    await api.kb.update({ id: created.id, title: `Borrador ${word} revisado`, bodyMarkdown: "Otro texto.", tags: [] });
    await runJobs();
    expect((await anon.kb.search({ q: word }))[0]?.title).toBe(`Borrador ${word} revisado`);

    await api.kb.publish({ id: created.id, published: false });
    await runJobs();
    expect(await anon.kb.search({ q: word })).toEqual([]);

    await api.kb.publish({ id: created.id, published: true });
    await runJobs();
    expect(ids(await anon.kb.search({ q: word }))).toEqual([created.id]);
    await api.kb.remove({ id: created.id });
    await runJobs();
    expect(await anon.kb.search({ q: word })).toEqual([]);
  });

  it("kb.suggest: up to five hits for a ticket subject of three characters or more", async () => {
    for (let i = 0; i < 7; i++) await published({ title: `Wifi lenta en la planta ${i}`, body: "Acérquese al router." });
    const anon = await callerFor(testDeps().deps, null, { search: engine });
    expect(await anon.kb.suggest({ q: "la wifi va lenta", language: "es" })).toHaveLength(5);
    await expect(anon.kb.suggest({ q: "wi" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(anon.kb.search({ q: "" })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(anon.kb.search({ q: "wifi", limit: 21 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  it("reindexAll empties the index and indexes every published article, never a draft, reporting progress", async () => {
    const stale = await published({ title: "Documento huérfano", body: "Quedó en el índice." });
    await db.article.update({ where: { id: stale.id }, data: { state: "DRAFT" } });
    const word = `ambar${uniq().replace(/\d/g, "y")}`;
    const pub = [];
    for (let i = 0; i < 5; i++) pub.push(await makeArticle({ title: `Guía ${word} ${i}`, body: `Paso ${i}.` }));
    const draft = await makeArticle({ title: `Guía ${word} borrador`, body: "Sin publicar.", state: "DRAFT" });
    const seen: ReindexProgress[] = [];
    const result = await reindexAll({ db, search: engine }, (p) => seen.push(p), { batchSize: 2 });
    const found = ids(await engine.search({ q: word, language: "es", limit: 20 }));
    expect(found.sort()).toEqual(pub.map((a) => a.id).sort());
    expect(found).not.toContain(draft.id);
    expect(await engine.search({ q: "huérfano", language: "es" })).toEqual([]);
    expect(seen[0]).toMatchObject({ done: 0 });
    expect(seen.at(-1)).toEqual({ done: result.done, total: result.total });
    expect(result.done).toBe(await db.article.count({ where: { state: "PUBLISHED" } }));
  });
};

for (const engineCase of engines) {
  describe.skipIf(!engineCase.available)(`search contract: ${engineCase.name} engine${engineCase.available ? "" : " (no server at MEILI_URL)"}`, () => searchContract(engineCase));
}

describe("PostgreSQL engine: its vocabulary", () => {
  const engine = pgSearchEngine(db);
  const terms = async (...words: string[]) => {
    const rows = await db.$queryRaw<Array<{ term: string; documents: number }>>`
      SELECT term, documents FROM "KbSearchTerm" WHERE language = 'es' AND term = ANY(${words}::text[]) ORDER BY term`;
    return Object.fromEntries(rows.map((r) => [r.term, r.documents]));
  };

  beforeEach(() => engine.clear());

  it("counts documents per word through upserts, updates, removals and the cascade of a deleted article", async () => {
    const a = await makeArticle({ title: "Impresora atascada", body: "Retire el papel." });
    const b = await makeArticle({ title: "Impresora sin tinta", body: "Cambie el cartucho." });
    await engine.upsert(searchDocumentOf(a));
    await engine.upsert(searchDocumentOf(a));
    await engine.upsert(searchDocumentOf(b));
    expect(await terms("impresora", "papel", "cartucho")).toEqual({ impresora: 2, papel: 1, cartucho: 1 });

    await engine.upsert(searchDocumentOf({ ...a, bodyMarkdown: "Cambie el cartucho." }));
    expect(await terms("impresora", "papel", "cartucho")).toEqual({ impresora: 2, cartucho: 2 });

    await engine.remove(b.id);
    expect(await terms("impresora", "cartucho", "tinta")).toEqual({ impresora: 1, cartucho: 1 });

    // Deleting the article removes its document by ON DELETE CASCADE, before any job runs.
    await db.article.delete({ where: { id: a.id } });
    expect(await terms("impresora", "cartucho")).toEqual({});
  });

  it("corrects a word to the nearest known word only when no document holds it", async () => {
    const a = await makeArticle({ title: "Sincronizar el calendario", body: "El calendario compartido." });
    await engine.upsert(searchDocumentOf(a));
    expect(ids(await engine.search({ q: "calendaro", language: "es" }))).toEqual([a.id]);
    expect(ids(await engine.search({ q: "sincronisar calendaro", language: "es" }))).toEqual([a.id]);
    // A word no document holds, and nothing close: it cannot match, so it does not prevent the others from matching.
    expect(ids(await engine.search({ q: "calendario xyzzyq", language: "es" }))).toEqual([a.id]);
    expect(await engine.search({ q: "xyzzyq", language: "es" })).toEqual([]);
    expect(await engine.search({ q: "el de la", language: "es" })).toEqual([]);
  });
});

describe("kb-index worker: every create/update/publish/delete is indexed through BullMQ", () => {
  let workers: ReturnType<typeof createWorkerDeps>;
  let worker: ReturnType<typeof startKbIndexWorker>;
  const engine = pgSearchEngine(db);

  beforeAll(() => {
    workers = createWorkerDeps(env, { db });
    worker = startKbIndexWorker(env, { db, search: engine }, silentLogger);
  });
  afterAll(async () => {
    await worker.close();
    await workers.close();
  });

  it("publishing makes it searchable, unpublishing hides it, a reindex-all job rebuilds the index", async () => {
    const agent = await makeUser("AGENT");
    const api = await callerFor(workers.deps, agent.id, { search: engine });
    const word = `cuarzo${uniq().replace(/\d/g, "z")}`;
    const search = () => engine.search({ q: word, language: "es" });
    const a = await api.kb.create({ title: `Manual ${word}`, bodyMarkdown: "Primeros pasos.", slug: `manual-${uniq()}` });
    await api.kb.publish({ id: a.id, published: true });
    await eventually(async () => ((await search()).length === 1 ? true : undefined), "the published article to be indexed");
    await api.kb.publish({ id: a.id, published: false });
    await eventually(async () => ((await search()).length === 0 ? true : undefined), "the unpublished article to leave the index");

    await api.kb.publish({ id: a.id, published: true });
    await eventually(async () => ((await search()).length === 1 ? true : undefined), "the article to be indexed again");
    await engine.clear();
    await workers.queues.kbIndex.add("reindex-all", { kind: "reindex-all" });
    await eventually(async () => ((await search()).length === 1 ? true : undefined), "the reindex-all job to index it");
  });
});
