"use client";
import { useParams } from "next/navigation";
import { ArticleEditor } from "~/components/kb/ArticleEditor";

export default function EditArticlePage() {
  const { id } = useParams<{ id: string }>();
  return <ArticleEditor id={id} />;
}
