// Saves a Blob as a file through an <a download> click: the browser's own download
// in `loralab ui`, Electron's save in the app. Nothing leaves the machine.

export function downloadBlob(blob: Blob, filename: string): void {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = filename;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The click starts the download synchronously; revoke on the next turn.
  setTimeout(() => URL.revokeObjectURL(url), 0);
}

/** A file name from free text: letters, digits, dot, dash and underscore only. */
export function safeFilename(text: string): string {
  return text.replace(/[^\w.-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'chart';
}
