import { Alert, Button, Card, Checkbox, Group, NativeSelect, NumberInput, Select, Stack, Textarea, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useLocation } from 'wouter';
import type { CaseTemplate, CreateCaseRequest } from '../../../src/client/index.js';
import { CASE_ORIGINS, PRIORITIES } from '../../../src/wire/enums.js';
import { useByteLimit } from '../bytes';
import { useTemplate } from '../directory';
import { useI18n } from '../i18n';
import { client } from '../session';

type FieldValue = string | number | boolean;
type Field = CaseTemplate['fields'][number];

/** One custom field of the case type's template, as its type asks: text, number, yes/no, date or a choice. */
function TemplateFieldInput({ field, value, onChange }: { field: Field; value: FieldValue | undefined; onChange: (value: FieldValue | undefined) => void }) {
  const label = field.label ?? field.name;
  const common = { label, required: field.required, 'data-field': field.name };
  switch (field.type) {
    case 'number':
      return <NumberInput {...common} value={typeof value === 'number' ? value : ''} min={field.minimum ?? undefined} max={field.maximum ?? undefined} onChange={(next) => onChange(typeof next === 'number' ? next : undefined)} />;
    case 'boolean':
      return <Checkbox label={label} data-field={field.name} checked={value === true} onChange={(event) => onChange(event.currentTarget.checked)} />;
    case 'date':
      return <TextInput {...common} type="date" value={typeof value === 'string' ? value.slice(0, 10) : ''} onChange={(event) => onChange(event.currentTarget.value ? `${event.currentTarget.value} 00:00:00` : undefined)} />;
    case 'select':
      return <NativeSelect {...common} value={typeof value === 'string' ? value : ''} data={['', ...(field.options ?? [])]} onChange={(event) => onChange(event.currentTarget.value || undefined)} />;
    default:
      return <TextInput {...common} value={typeof value === 'string' ? value : ''} maxLength={field.maxLength ?? undefined} onChange={(event) => onChange(event.currentTarget.value || undefined)} />;
  }
}

/**
 * A new case: its type (Active ones), what every case has, and the custom fields of the type's template. What the
 * server refuses is shown in its own words, which name the field and the rule (the API's validation is the form's).
 */
export function NewCase() {
  const { t } = useI18n();
  const [, navigate] = useLocation();
  const types = useQuery({ queryKey: ['caseTypes', 'Active'], queryFn: () => client.caseTypes.list({ start: 0, limit: 100, status: 'Active' }) });
  const [typeId, setTypeId] = useState<string | null>(null);
  const type = types.data?.caseTypes.find((item) => item.id === typeId);
  const templateId = type?.templateId ?? null;
  const template = useTemplate(templateId);
  const [contactSearch, setContactSearch] = useState('');
  const contacts = useQuery({ queryKey: ['contacts', contactSearch], queryFn: () => client.contacts.list({ ...(contactSearch && { customerName: contactSearch }), limit: '20' }) });
  const [contactId, setContactId] = useState<string | null>(null);
  const [title, setTitle] = useState('');
  const [description, setDescription] = useState('');
  const titleTooLong = useByteLimit(title, 128);
  const descriptionTooLong = useByteLimit(description, 20000);
  const [priority, setPriority] = useState('');
  const [origin, setOrigin] = useState('');
  const [values, setValues] = useState<Record<string, FieldValue>>({});
  const create = useMutation({
    mutationFn: () => {
      const caseInfo = {
        title, description, type: typeId ?? '', contactId: contactId ?? '', isAtuoAssigned: true,
        ...(priority && { priority }), ...(origin && { origin }), ...values,
      } as CreateCaseRequest['caseInfo'];
      return client.cases.create({ caseInfo });
    },
    onSuccess: ({ caseId }) => navigate(`/cases/${caseId}`),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  const setValue = (name: string, value: FieldValue | undefined) => setValues((current) => {
    const { [name]: _dropped, ...rest } = current;
    return value === undefined ? rest : { ...rest, [name]: value };
  });

  return (
    <Card withBorder maw={760}>
      <form onSubmit={submit}>
        <Stack>
          <Title order={2}>{t('newCase.title')}</Title>
          {create.error && <Alert color="red" role="alert">{create.error.message}</Alert>}
          <Select label={t('newCase.type')} required data={(types.data?.caseTypes ?? []).map((item) => ({ value: item.id, label: item.typeName }))} value={typeId} onChange={(value) => { setTypeId(value); setValues({}); }} />
          <TextInput label={t('newCase.caseTitle')} required error={titleTooLong} value={title} onChange={(event) => setTitle(event.currentTarget.value)} />
          <Textarea label={t('case.description')} required autosize minRows={3} error={descriptionTooLong} value={description} onChange={(event) => setDescription(event.currentTarget.value)} />
          <Select
            label={t('case.contact')} required searchable value={contactId} onChange={setContactId} onSearchChange={setContactSearch} searchValue={contactSearch}
            data={(contacts.data?.contacts ?? []).map((contact) => ({ value: contact.id, label: contact.customerName ?? contact.id }))}
            filter={({ options }) => options}
          />
          <Group grow>
            <NativeSelect label={t('case.priority')} value={priority} data={['', ...PRIORITIES]} onChange={(event) => setPriority(event.currentTarget.value)} />
            <NativeSelect label={t('newCase.origin')} value={origin} data={['', ...CASE_ORIGINS]} onChange={(event) => setOrigin(event.currentTarget.value)} />
          </Group>
          {(template.data?.fields ?? []).map((field) => (
            <TemplateFieldInput key={field.name} field={field} value={values[field.name]} onChange={(value) => setValue(field.name, value)} />
          ))}
          <Button type="submit" loading={create.isPending} disabled={!typeId || !contactId || titleTooLong !== undefined || descriptionTooLong !== undefined}>{t('newCase.create')}</Button>
        </Stack>
      </form>
    </Card>
  );
}
