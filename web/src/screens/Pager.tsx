import { Button, Group, Text } from '@mantine/core';
import { useI18n } from '../i18n';

/** Previous and next of a list paged on the server, with where one stands. */
export function Pager({ page, pages, onPage }: { page: number; pages: number; onPage: (page: number) => void }) {
  const { t } = useI18n();
  return (
    <Group>
      <Button variant="default" disabled={page <= 1} onClick={() => onPage(page - 1)}>{t('common.previous')}</Button>
      <Text size="sm">{t('common.page', { page, pages })}</Text>
      <Button variant="default" disabled={page >= pages} onClick={() => onPage(page + 1)}>{t('common.next')}</Button>
    </Group>
  );
}
