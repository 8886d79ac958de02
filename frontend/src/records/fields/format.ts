/** Locale-aware formatting of field values for display. */

export function formatNumber(value: unknown, language: string): string {
  const number = Number(value);
  return Number.isFinite(number) ? new Intl.NumberFormat(language).format(number) : String(value);
}

export function formatCurrency(value: unknown, language: string, currency: string): string {
  const number = Number(value);
  if (!Number.isFinite(number)) return String(value);
  try {
    return new Intl.NumberFormat(language, { style: "currency", currency }).format(number);
  } catch {
    return `${number.toFixed(2)} ${currency}`;
  }
}

export function formatPercent(value: unknown, language: string): string {
  const number = Number(value);
  return Number.isFinite(number) ? `${new Intl.NumberFormat(language, { maximumFractionDigits: 2 }).format(number)}%` : String(value);
}

export function formatDate(value: unknown, language: string): string {
  if (typeof value !== "string" || !value) return "";
  const [year, month, day] = value.slice(0, 10).split("-").map(Number);
  if (!year || !month || !day) return value;
  return new Intl.DateTimeFormat(language, { year: "numeric", month: "short", day: "numeric" }).format(new Date(year, month - 1, day));
}

export function formatDateTime(value: unknown, language: string): string {
  if (typeof value !== "string" || !value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return value;
  return new Intl.DateTimeFormat(language, { dateStyle: "medium", timeStyle: "short" }).format(date);
}

/** ISO datetime -> value for <input type="datetime-local"> in local time. */
export function toDateTimeLocal(value: unknown): string {
  if (typeof value !== "string" || !value) return "";
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) return "";
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}T${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

export function isEmpty(value: unknown): boolean {
  return value === null || value === undefined || value === "";
}

const STRING_TYPES = new Set(["text", "textarea", "email", "phone", "url", "picklist"]);

/** The value to send for a field: empty strings for text-like fields, null for everything else. */
export function toApiValue(type: string, value: unknown): unknown {
  if (STRING_TYPES.has(type)) return value === null || value === undefined ? "" : value;
  return value === "" || value === undefined ? null : value;
}

/** Local date as YYYY-MM-DD (not UTC: "today" is the user's today). */
export function isoDate(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

/** The day after a YYYY-MM-DD date, as YYYY-MM-DD. */
export function nextDay(value: string): string {
  const date = new Date(`${value}T00:00:00`);
  return isoDate(new Date(date.getFullYear(), date.getMonth(), date.getDate() + 1));
}
