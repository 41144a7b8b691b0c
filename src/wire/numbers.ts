/** AICC shows case and task numbers as 30-digit zero-padded strings, e.g. "000000000000000000000000001002". */
export const SERIAL_DIGITS = 30;

export function formatSerialNumber(serial: number): string {
  return String(serial).padStart(SERIAL_DIGITS, '0');
}
