import { Button, Group, NativeSelect, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useByteLimit } from '../bytes';
import { useUsers } from '../directory';
import { useI18n } from '../i18n';
import { client, useMe } from '../session';

/** A task on a case: its title, its owner (the signed-in user by default) and an optional due date. */
export function NewTask({ caseId, onCreated, onError }: { caseId: string; onCreated: () => Promise<unknown>; onError: (error: Error) => void }) {
  const { t } = useI18n();
  const me = useMe();
  const users = useUsers();
  const [title, setTitle] = useState('');
  const [ownerId, setOwnerId] = useState(me.userId);
  const [due, setDue] = useState('');
  const titleTooLong = useByteLimit(title, 128);
  const create = useMutation({
    // A date input gives YYYY-MM-DD; AICC's dates are `YYYY-MM-DD HH:mm:ss` in the tenant's zone: the end of that day.
    mutationFn: () => client.tasks.create({ taskInfo: { title, ownerId, type: 'Case', relateId: caseId, ...(due && { dueDate: `${due} 23:59:59` }) } }),
    onSuccess: async () => {
      setTitle('');
      setDue('');
      await onCreated();
    },
    onError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <form onSubmit={submit}>
      <Group align="end" mt="sm">
        <TextInput label={t('task.newTitle')} value={title} onChange={(event) => setTitle(event.currentTarget.value)} required error={titleTooLong} />
        <NativeSelect
          label={t('task.owner')} value={ownerId} onChange={(event) => setOwnerId(event.currentTarget.value)}
          data={(users.data?.users ?? [{ id: me.userId, name: me.name, status: 'active' }]).filter((user) => user.status === 'active').map((user) => ({ value: user.id, label: user.name }))}
        />
        <TextInput type="date" label={t('task.due')} value={due} onChange={(event) => setDue(event.currentTarget.value)} />
        <Button type="submit" loading={create.isPending} disabled={titleTooLong !== undefined}>{t('task.create')}</Button>
      </Group>
    </form>
  );
}
