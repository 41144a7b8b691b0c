/** `YYYY-MM-DD` and `YYYY-MM-DD HH:mm:ss` of a moment in the browser's zone, AICC's day and date forms. */
export function wireDay(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}

export function wireDate(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${wireDay(date)} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}
