import { Type, type Static } from 'typebox';
import { ROLES } from '../permissions/table.js';
import { Envelope } from '../wire/envelope.js';
import { WireId } from '../wire/ids.js';
import { Nullable, QueryInteger, StringEnum } from '../wire/schema.js';

export const USER_STATUSES = ['active', 'disabled'] as const;

/** A login: what a person types to sign in; unique in its tenant. No spaces or control characters, so none can look alike by padding. */
export const Login = Type.String({
  minLength: 1, maxLength: 128, pattern: '^[^\\s\\u0000-\\u001f\\u007f]+$',
  description: 'unique in the tenant; 1 to 128 characters, no spaces or control characters',
});

/** A password: 10 to 1024 characters (long passphrases welcome; past 1024 a hash is only work for an attacker). */
export const Password = Type.String({ minLength: 10, maxLength: 1024, description: '10 to 1024 characters' });
export const PASSWORD_RULE = 'must be 10 to 1024 characters';

/** opencase extension: users (agents), the owners and creators AICC's calls name by id; those with a login sign in. */
export const CreateUserBody = Type.Object({
  name: Type.String({ minLength: 1, maxLength: 128 }),
  login: Type.Optional(Login),
  role: Type.Optional(StringEnum(ROLES, { description: 'agent by default' })),
});
export type CreateUserInput = Static<typeof CreateUserBody>;

/** PATCH: the fields sent change; `login: null` takes the sign-in away; `status: disabled` ends every session at once. */
export const UpdateUserBody = Type.Object({
  name: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  login: Type.Optional(Nullable(Login)),
  role: Type.Optional(StringEnum(ROLES)),
  status: Type.Optional(StringEnum(USER_STATUSES)),
}, { minProperties: 1 });
export type UpdateUserInput = Static<typeof UpdateUserBody>;

export const UserIdParams = Type.Object({ id: WireId });

export const UserInfo = Type.Object({
  createdDate: Type.String(),
  id: Type.String(),
  login: Nullable(Type.String()),
  name: Type.String(),
  role: StringEnum(ROLES),
  status: StringEnum(USER_STATUSES),
});
export type UserInfo = Static<typeof UserInfo>;

export const CreateUserResponse = Envelope(Type.Object({ userId: Type.String() }));
export const UserResponse = Envelope(UserInfo);
export const PageQuery = Type.Object({ start: Type.Optional(QueryInteger), limit: Type.Optional(QueryInteger) });
export const ListUsersResponse = Envelope(Type.Object({ count: Type.Integer(), users: Type.Array(UserInfo) }));

/** A one-time set-password link's secret, for the admin to hand over: valid 24 hours, used once. */
export const PasswordLinkResponse = Envelope(Type.Object({
  token: Type.String({ description: 'send it with the new password to POST /opencase/v1/password; shown once, stored only as a hash' }),
  expiresIn: Type.Integer({ description: 'seconds the link stays valid (24 hours)' }),
  userId: Type.String(),
}));

/** Sets a password with a set-password link's token; takes no access token. */
export const SetPasswordBody = Type.Object({
  token: Type.String({ minLength: 1, maxLength: 256, pattern: '^[A-Za-z0-9_-]+$', description: 'the token of POST /opencase/v1/users/{id}/password-link' }),
  password: Password,
});
export type SetPasswordInput = Static<typeof SetPasswordBody>;
