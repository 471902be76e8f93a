import type { SeatCounts } from "./types";

const dateFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "full", timeStyle: "short" });
const dateTimeFormat = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "short" });
const timeFormat = new Intl.DateTimeFormat(undefined, { timeStyle: "medium" });

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

/** "1 Jan 2030, 19:03": when a ticket was used, on the reservation's page. */
export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

/** "19:03:12": a time at the door today, to the second. */
export function formatTime(iso: string): string {
  return timeFormat.format(new Date(iso));
}

// One formatter per currency, made when first needed: making one is far dearer than using it, and
// a seat map labels thousands of seats.
const moneyFormats = new Map<string, Intl.NumberFormat>();

/** An amount from the API (a decimal string, "85.00") in `currency` (ISO 4217, the event's
 * `currency`), as this browser's language writes it: "€85.00", "£85.00", "¥8,500" (no minor unit),
 * "CHF 85.00". Every price and total the app shows goes through here. */
export function formatMoney(amount: string, currency: string): string {
  let format = moneyFormats.get(currency);
  if (!format) {
    format = new Intl.NumberFormat(undefined, { style: "currency", currency });
    moneyFormats.set(currency, format);
  }
  return format.format(Number(amount));
}

/** "€35.00 – €85.00" (or one price, or nothing for a hall without seats). */
export function formatPriceRange(
  { min_price, max_price }: Pick<SeatCounts, "min_price" | "max_price">,
  currency: string,
): string {
  if (!min_price) return "";
  const low = formatMoney(min_price, currency);
  return !max_price || min_price === max_price ? low : `${low} – ${formatMoney(max_price, currency)}`;
}

/** Money from the API is a decimal string with two places; sums stay exact in cents (and come back
 * in the API's shape, for `formatMoney`). */
export function sumPrices(prices: string[]): string {
  const cents = prices.reduce((total, price) => total + Math.round(Number(price) * 100), 0);
  return (cents / 100).toFixed(2);
}

/** Whole seconds left, rounded down: a countdown ticks once a second, so the time it was drawn at
 * is up to a second old and rounding up would show a fresh 5-minute hold as "5:01". */
export function formatCountdown(milliseconds: number): string {
  const seconds = Math.max(0, Math.floor(milliseconds / 1000));
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
}
