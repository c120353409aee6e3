// The keyboard shortcuts help dialog (components/ui/ShortcutsDialog.tsx), shared by every page that has shortcuts.
export const shortcuts = { title: "Atajos de teclado", close: "Cerrar", keys: "Teclas", action: "Acción", or: "o", notInFields: "Los atajos no actúan mientras escribe en un campo." } as const;
