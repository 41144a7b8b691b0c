/** Where the API lives: shared by the server's routes and the client, which must not load the server to know them. */
export const AICC_PREFIX = '/service/AICC__Case/1.0.0/openapi';
export const EXTENSIONS_PREFIX = '/opencase/v1';
export const TOKEN_PATH = '/baas/auth/v1.0/oauth2/token';
