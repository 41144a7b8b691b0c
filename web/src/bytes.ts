import { useI18n } from './i18n';

/** AICC's text bounds are bytes of UTF-8 (a Chinese character takes 3), as the server counts them. */
const encoder = new TextEncoder();

/** The message to show under a field whose text is over `limit` bytes, or undefined while it fits. */
export function useByteLimit(text: string, limit: number): string | undefined {
  const { t } = useI18n();
  // A text of `limit` characters or fewer in UTF-16 units may still be over: only then encode it.
  const bytes = text.length * 3 <= limit ? 0 : encoder.encode(text).length;
  return bytes > limit ? t('field.tooManyBytes', { bytes, limit }) : undefined;
}
