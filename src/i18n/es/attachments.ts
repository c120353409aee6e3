// Attachments on the portal and agent forms (components/attachments) and in the thread.
export const attachments = {
  add: "Adjuntar archivos",
  dropHint: "Arrastre aquí los archivos o use el botón. Hasta {max} MB en total por mensaje.",
  dropActive: "Suelte los archivos para adjuntarlos.",
  listLabel: "Archivos adjuntos",
  uploading: "Subiendo…",
  uploaded: "Subido",
  failed: "No se pudo subir",
  remove: "Quitar {name}",
  progress: "Progreso de {name}",
  waitForUploads: "Espere a que terminen de subirse los archivos.",
  preview: "Vista previa de {name}",
  download: "Descargar {name}",
} as const;
