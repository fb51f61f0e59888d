import type { AttachmentContentType } from '@kept/contracts';

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/**
 * What the file's first bytes say it is (its "magic number"), independent of the Content-Type the client
 * claimed: a renamed executable is not a photo. HEIC and HEIF share the ISO-BMFF `ftyp` box and its brands.
 */
export function sniffContentType(head: Uint8Array): AttachmentContentType | null {
  const at = (i: number, ...bytes: number[]) => bytes.every((b, k) => head[i + k] === b);
  const ascii = (i: number, s: string) => at(i, ...[...s].map((c) => c.charCodeAt(0)));
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (ascii(0, 'RIFF') && ascii(8, 'WEBP')) return 'image/webp';
  if (ascii(0, '%PDF-')) return 'application/pdf';
  if (ascii(4, 'ftyp')) {
    const brand = String.fromCharCode(...head.slice(8, 12));
    if (HEIF_BRANDS.has(brand)) return brand.startsWith('he') ? 'image/heic' : 'image/heif';
  }
  return null;
}

/** HEIC and HEIF are one container: a phone may label either way. */
export function sameKind(claimed: AttachmentContentType, sniffed: AttachmentContentType): boolean {
  const heif = (t: string) => t === 'image/heic' || t === 'image/heif';
  return claimed === sniffed || (heif(claimed) && heif(sniffed));
}
