// The icon a vendor gets when no <id>.svg is drawn: its initials on a rounded square whose
// colour comes from a hash of the vendor id, so every vendor keeps the same, distinct colour
// across builds without anyone drawing one.
import { createHash } from 'node:crypto';

/** "Lemon Squeezy" → "LS", "Parley" → "PA", "parseFlow" (no display name) → "PF". */
export function initials(vendor: { id: string; displayName?: string }): string {
  const words = (vendor.displayName || vendor.id)
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean);
  const letters = words.length > 1 ? words[0]![0]! + words[1]![0]! : (words[0] ?? '?').slice(0, 2);
  return letters.toUpperCase();
}

/** Hue 0–359 and a saturation/lightness pair dark enough for white text, from sha256(id). */
export function colourOf(id: string): string {
  const digest = createHash('sha256').update(id).digest();
  const hue = digest.readUInt16BE(0) % 360;
  const saturation = 45 + (digest[2]! % 25); // 45–69 %
  const lightness = 32 + (digest[3]! % 10); // 32–41 %: white initials stay readable
  return `hsl(${hue}, ${saturation}%, ${lightness}%)`;
}

/** A 64×64 SVG icon for the vendor (initials are letters and digits only: nothing to escape). */
export function defaultIconSvg(vendor: { id: string; displayName?: string }): string {
  const text = initials(vendor);
  const size = text.length > 1 ? 26 : 34;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">` +
    `<rect width="64" height="64" rx="14" fill="${colourOf(vendor.id)}"/>` +
    `<text x="32" y="32" dy="0.35em" text-anchor="middle" font-family="Helvetica, Arial, sans-serif" ` +
    `font-weight="700" font-size="${size}" fill="#ffffff">${text}</text></svg>\n`
  );
}
