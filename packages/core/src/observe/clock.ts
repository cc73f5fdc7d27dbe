const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

let cachedSecond = Number.NaN;
let cachedStamp = "";

/**
 * The Common Log Format time of `ms`, e.g. `10/Oct/2000:13:55:36 -0700`, in local time.
 * Formatted once per second: every line of that second reuses the string.
 */
export function clfTime(ms: number): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    cachedSecond = second;
    cachedStamp = formatClf(new Date(second * 1000));
  }
  return cachedStamp;
}

function formatClf(date: Date): string {
  const offset = -date.getTimezoneOffset();
  const sign = offset < 0 ? "-" : "+";
  const zone = `${sign}${pad(Math.floor(Math.abs(offset) / 60))}${pad(Math.abs(offset) % 60)}`;
  const day = `${pad(date.getDate())}/${MONTHS[date.getMonth()]}/${date.getFullYear()}`;
  return `${day}:${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())} ${zone}`;
}

function pad(value: number): string {
  return value < 10 ? `0${value}` : String(value);
}
