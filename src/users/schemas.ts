import { Type, type Static } from 'typebox';
import { Envelope } from '../wire/envelope.js';
import { QueryInteger } from '../wire/schema.js';

/** opencase extension: users (agents), the owners and creators AICC's calls name by id. */
export const CreateUserBody = Type.Object({ name: Type.String({ minLength: 1, maxLength: 128 }) });
export type CreateUserInput = Static<typeof CreateUserBody>;

export const UserInfo = Type.Object({ createdDate: Type.String(), id: Type.String(), name: Type.String() });
export type UserInfo = Static<typeof UserInfo>;

export const CreateUserResponse = Envelope(Type.Object({ userId: Type.String() }));
export const PageQuery = Type.Object({ start: Type.Optional(QueryInteger), limit: Type.Optional(QueryInteger) });
export const ListUsersResponse = Envelope(Type.Object({ count: Type.Integer(), users: Type.Array(UserInfo) }));
