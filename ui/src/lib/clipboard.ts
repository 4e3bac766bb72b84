// «Kopier verdien»: a text onto the system clipboard. The web clipboard API where the
// webview grants it, else a hidden text field and the browser's copy command (WebKitGTK
// refuses the API outside a user gesture on some versions). Throws when neither worked.

export async function copyText(text: string): Promise<void> {
  try {
    if (navigator.clipboard?.writeText) {
      await navigator.clipboard.writeText(text);
      return;
    }
  } catch {
    // fall through to the copy command
  }
  const field = document.createElement("textarea");
  field.value = text;
  field.setAttribute("readonly", "");
  field.style.position = "fixed";
  field.style.opacity = "0";
  const focused = document.activeElement instanceof HTMLElement ? document.activeElement : null;
  document.body.appendChild(field);
  field.select();
  const ok = document.execCommand("copy");
  field.remove();
  focused?.focus();
  if (!ok) throw new Error("kopiering ble avvist");
}
