import { z } from "zod";
import { CUSTOM_FIELD_TYPES } from "~/shared/enums";

export const customFieldOption = z.object({ value: z.string(), labelEs: z.string(), labelEn: z.string() });

/** What a page needs to show (or edit) a custom field: its labels, type and a dropdown's choices. */
export const customFieldShape = z.object({
  id: z.string(),
  key: z.string(),
  labelEs: z.string(),
  labelEn: z.string(),
  type: z.enum(CUSTOM_FIELD_TYPES),
  options: z.array(customFieldOption),
  helpTextEs: z.string().nullable(),
  helpTextEn: z.string().nullable(),
});
export type CustomFieldShape = z.infer<typeof customFieldShape>;

/** ticket.customFields / catalog.formFields: the active fields of a ticket (its category's, then those of every ticket). */
export const customFieldList = z.array(customFieldShape.extend({ required: z.boolean() }));
export type CustomFieldDefinition = z.infer<typeof customFieldList>[number];

/** A stored value: text, number, calendar day (YYYY-MM-DD), option value or checkbox. */
export const customFieldValue = z.union([z.string(), z.number(), z.boolean()]);
export type CustomFieldValue = z.infer<typeof customFieldValue>;

/** ticket.setCustomField: whether anything changed, and the ticket's version after it. */
export const customFieldSet = z.object({ changed: z.boolean(), version: z.number().int() });
