import { ArticleEditor } from "~/components/kb/ArticleEditor";

export default async function NewArticlePage({ searchParams }: { searchParams: Promise<{ translationOf?: string | string[] }> }) {
  const { translationOf } = await searchParams;
  return <ArticleEditor translationOf={typeof translationOf === "string" && translationOf ? translationOf : undefined} />;
}
