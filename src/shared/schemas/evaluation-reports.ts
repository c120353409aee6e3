import { z } from "zod";
import { person } from "./person";

// /admin/evaluaciones: "¿Le ayudó esta respuesta?" per agent, the latest comments, and the tickets
// the knowledge base avoided.

export const agentEvaluationRow = z.object({
  /** Null: answers on tickets that closed without an agent resolving them. */
  agent: person.nullable(),
  helpful: z.number().int(),
  notHelpful: z.number().int(),
  total: z.number().int(),
  helpfulPercent: z.number().int(),
});
export type AgentEvaluationRow = z.infer<typeof agentEvaluationRow>;
export const agentEvaluationRows = z.array(agentEvaluationRow);

export const evaluationComment = z.object({
  id: z.string(),
  helpful: z.boolean(),
  comment: z.string(),
  updatedAt: z.date(),
  ticket: z.object({ number: z.number(), subject: z.string() }),
  agent: person.nullable(),
});
export const evaluationCommentPage = z.object({ items: z.array(evaluationComment), nextCursor: z.string().nullable() });
export type EvaluationCommentPage = z.infer<typeof evaluationCommentPage>;

export const deflectionReport = z.object({
  total: z.number().int(),
  articles: z.array(z.object({ article: z.object({ id: z.string(), title: z.string(), slug: z.string(), language: z.string() }), count: z.number().int() })),
});
export type DeflectionReport = z.infer<typeof deflectionReport>;
