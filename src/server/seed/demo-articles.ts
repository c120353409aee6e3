import { createArticle, setArticlePublished } from "~/server/modules/kb/articles";
import type { Deps } from "~/server/modules/deps";

const ARTICLES = [
  {
    slug: "como-crear-un-ticket",
    category: "primeros-pasos",
    title: "Cómo crear un ticket",
    tags: ["ticket", "portal", "correo"],
    body: `Puede pedirnos ayuda de dos formas.

## Por el portal

1. Entre en el portal con su correo y su contraseña.
2. Pulse «Agregar ticket».
3. Escriba un asunto y una descripción del problema, elija la prioridad y la categoría.
4. Pulse «Enviar».

## Por correo

Escriba a **soporte@ventanilla.test** con un asunto y la descripción. Puede adjuntar archivos que sumen menos de 20 MB.
Recibirá un correo con el número del ticket y su ID de seguimiento.`,
  },
  {
    slug: "la-impresora-no-imprime",
    category: "equipos-e-impresoras",
    title: "La impresora no imprime",
    tags: ["impresora", "error", "cola de impresión"],
    body: `Si la impresora no imprime o muestra un error:

1. Compruebe que está encendida y tiene papel.
2. Apáguela, espere diez segundos y vuelva a encenderla.
3. En el ordenador, abra la cola de impresión y cancele los documentos atascados.
4. Si aparece «Error 50.4», desenchúfela un minuto: es un fallo de alimentación.

Si el problema sigue, abra un ticket indicando el modelo y el mensaje de error.`,
  },
];

/** Two published help articles for the demo. Idempotent: nothing is added when articles exist. */
export async function seedDemoArticles(deps: Deps, authorId: string): Promise<number> {
  const { db } = deps;
  if ((await db.article.count()) > 0) return 0;
    const author = { id: authorId, role: "AGENT" as const, locale: "es" as const };
  for (const a of ARTICLES) {
    const category = await db.kbCategory.findUnique({ where: { slug: a.category }, select: { id: true } });
    const created = await createArticle(deps, author, { title: a.title, slug: a.slug, bodyMarkdown: a.body, tags: a.tags, categoryId: category?.id ?? null });
    await setArticlePublished(deps, author, created.id, true);
  }
  return ARTICLES.length;
}
