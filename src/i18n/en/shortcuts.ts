import type { Messages } from "../index";

// The keyboard shortcuts help dialog (components/ui/ShortcutsDialog.tsx), shared by every page that has shortcuts.
export const shortcuts: Messages["shortcuts"] = { title: "Keyboard shortcuts", close: "Close", keys: "Keys", action: "Action", or: "or", notInFields: "Shortcuts do nothing while you type in a field." };
