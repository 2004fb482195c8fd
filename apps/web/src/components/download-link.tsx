/**
 * A report's download link (the API answers `format=csv` as an attachment; the monthly PDF is one). Empty
 * parameters are left out, so a link carries the page's filters as they are.
 */
export function downloadHref(
  path: string,
  params: Record<string, string | number | null | undefined>,
): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params))
    if (v !== null && v !== undefined && v !== "") q.set(k, String(v));
  const s = q.toString();
  return s ? `${path}?${s}` : path;
}

export function DownloadLink({
  path,
  params = {},
  file,
  label = "Download CSV",
  className = "button",
}: {
  path: string;
  params?: Record<string, string | number | null | undefined>;
  file: string;
  label?: string;
  className?: string;
}) {
  return (
    <a className={className} href={downloadHref(path, params)} download={file}>
      {label}
    </a>
  );
}
