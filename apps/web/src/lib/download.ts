/**
 * Starts the browser's own download of `url` (the console's origin, e.g. a backup's download link):
 * a hidden link with `download`, clicked. The browser streams the response to disk with its own
 * progress, and names the file after the response's Content-Disposition; nothing is held in the
 * tab's memory.
 */
export function startDownload(url: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = '';
  link.rel = 'noopener';
  link.style.display = 'none';
  document.body.appendChild(link);
  link.click();
  link.remove();
}
