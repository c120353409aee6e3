export const synonyms = {
  title: "Sinónimos de búsqueda",
  intro: "Palabras que la búsqueda de la base de conocimientos trata como equivalentes.",
  language: "Idioma",
  groups: "Sinónimos (un grupo por línea, palabras separadas por comas)",
  save: "Guardar",
  saving: "Guardando…",
  saved: "Sinónimos guardados",
  invalidLine: "La línea {line} necesita al menos dos palabras.",
} as const;
