-- CreateEnum
CREATE TYPE "ArticleState" AS ENUM ('DRAFT', 'PUBLISHED');

-- CreateTable
CREATE TABLE "KbCategory" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "nameEs" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "position" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "KbCategory_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Article" (
    "id" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "language" TEXT NOT NULL DEFAULT 'es',
    "translationKey" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "bodyMarkdown" TEXT NOT NULL,
    "tags" TEXT[],
    "categoryId" TEXT,
    "state" "ArticleState" NOT NULL DEFAULT 'DRAFT',
    "authorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "publishedAt" TIMESTAMP(3),
    "views" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "Article_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArticleVersion" (
    "id" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "bodyMarkdown" TEXT NOT NULL,
    "tags" TEXT[],
    "editorId" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArticleVersion_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ArticleFeedback" (
    "id" TEXT NOT NULL,
    "articleId" TEXT NOT NULL,
    "visitorKey" TEXT NOT NULL,
    "helpful" BOOLEAN NOT NULL,
    "reasons" TEXT[],
    "comment" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ArticleFeedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "SearchSynonym" (
    "id" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "terms" TEXT[],

    CONSTRAINT "SearchSynonym_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "KbCategory_slug_key" ON "KbCategory"("slug");

-- CreateIndex
CREATE INDEX "Article_state_language_views_idx" ON "Article"("state", "language", "views");

-- CreateIndex
CREATE INDEX "Article_categoryId_idx" ON "Article"("categoryId");

-- CreateIndex
CREATE UNIQUE INDEX "Article_language_slug_key" ON "Article"("language", "slug");

-- CreateIndex
CREATE UNIQUE INDEX "Article_translationKey_language_key" ON "Article"("translationKey", "language");

-- CreateIndex
CREATE INDEX "ArticleVersion_articleId_createdAt_idx" ON "ArticleVersion"("articleId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "ArticleFeedback_articleId_visitorKey_key" ON "ArticleFeedback"("articleId", "visitorKey");

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_categoryId_fkey" FOREIGN KEY ("categoryId") REFERENCES "KbCategory"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Article" ADD CONSTRAINT "Article_authorId_fkey" FOREIGN KEY ("authorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArticleVersion" ADD CONSTRAINT "ArticleVersion_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArticleVersion" ADD CONSTRAINT "ArticleVersion_editorId_fkey" FOREIGN KEY ("editorId") REFERENCES "User"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ArticleFeedback" ADD CONSTRAINT "ArticleFeedback_articleId_fkey" FOREIGN KEY ("articleId") REFERENCES "Article"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Knowledge-base search on PostgreSQL (the embedded engine; Meilisearch is the other one).
-- Only published articles are ever written here, so the index cannot serve drafts.
CREATE EXTENSION IF NOT EXISTS unaccent;
CREATE EXTENSION IF NOT EXISTS pg_trgm;

-- unaccent() is only STABLE; indexes and generated columns need an IMMUTABLE wrapper.
CREATE OR REPLACE FUNCTION vt_unaccent(text) RETURNS text
  LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
  AS $$ SELECT public.unaccent('public.unaccent'::regdictionary, $1) $$;

CREATE TABLE "KbSearchDocument" (
    "articleId" TEXT NOT NULL PRIMARY KEY REFERENCES "Article"("id") ON DELETE CASCADE,
    "language" TEXT NOT NULL,
    "categoryId" TEXT,
    "tags" TEXT[] NOT NULL,
    "title" TEXT NOT NULL,
    "slug" TEXT NOT NULL,
    "plainBody" TEXT NOT NULL,
    "document" tsvector NOT NULL,
    "indexedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX "KbSearchDocument_document_idx" ON "KbSearchDocument" USING GIN ("document");
CREATE INDEX "KbSearchDocument_language_category_idx" ON "KbSearchDocument" ("language", "categoryId");
CREATE INDEX "KbSearchDocument_tags_idx" ON "KbSearchDocument" USING GIN ("tags");

-- The vocabulary of the index, for typo tolerance: a query word not in it is replaced by its
-- nearest trigram neighbour ("impresroa" → "impresora").
CREATE TABLE "KbSearchTerm" (
    "language" TEXT NOT NULL,
    "term" TEXT NOT NULL,
    "documents" INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY ("language", "term")
);
CREATE INDEX "KbSearchTerm_term_trgm_idx" ON "KbSearchTerm" USING GIN ("term" gin_trgm_ops);
