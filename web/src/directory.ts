import { useQuery } from '@tanstack/react-query';
import { client } from './session';

/**
 * The tenant's users, queues and case types as the console's pickers and labels show them: the first hundred of each
 * (the most one page holds), read once a minute at most and shared by every screen through one query key each.
 */
const PICKER_STALE_MS = 60_000;

export function useUsers() {
  return useQuery({ queryKey: ['users'], queryFn: () => client.users.list({ limit: '100' }), staleTime: PICKER_STALE_MS });
}

export function useQueues() {
  return useQuery({ queryKey: ['queues'], queryFn: () => client.queues.list({ limit: '100' }), staleTime: PICKER_STALE_MS });
}

export function useCaseTypes() {
  return useQuery({ queryKey: ['caseTypes'], queryFn: () => client.caseTypes.list({ start: 0, limit: 100 }), staleTime: PICKER_STALE_MS });
}

/** An owner's name by its id (a user or a queue), for what the API names by id only; the id itself for one beyond them. */
export function useOwnerName(): (ownerId: string) => string {
  const users = useUsers();
  const queues = useQueues();
  const names = new Map([...(users.data?.users ?? []), ...(queues.data?.queues ?? [])].map((owner) => [owner.id, owner.name]));
  return (ownerId) => names.get(ownerId) ?? ownerId;
}

/** A case template's fields (a type's custom fields), once a type that has one is chosen. */
export function useTemplate(templateId: string | null) {
  return useQuery({ queryKey: ['template', templateId], queryFn: () => client.caseTemplates.get(templateId ?? ''), enabled: templateId !== null, staleTime: PICKER_STALE_MS });
}
