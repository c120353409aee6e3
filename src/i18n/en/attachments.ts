import type { Messages } from "../index";

// Attachments on the portal and agent forms (components/attachments) and in the thread.
export const attachments: Messages["attachments"] = {
  add: "Attach files",
  dropHint: "Drag files here or use the button. Up to {max} MB in total per message.",
  dropActive: "Drop the files to attach them.",
  listLabel: "Attached files",
  uploading: "Uploading…",
  uploaded: "Uploaded",
  failed: "Could not upload",
  remove: "Remove {name}",
  progress: "Progress of {name}",
  waitForUploads: "Wait for the files to finish uploading.",
  preview: "Preview of {name}",
  download: "Download {name}",
};
