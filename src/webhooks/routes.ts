import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { pageOf } from '../lists/paging.js';
import { acknowledged, Acknowledgement, success } from '../wire/envelope.js';
import { emptyBodyIsEmptyObject, errorResponses } from '../wire/fastify.js';
import { NoFields } from '../wire/schema.js';
import {
  AttemptResponse, CreateWebhookBody, CreateWebhookResponse, DeliveriesResponse, DeliveryParams, ListWebhooksResponse, RotateSecretResponse, UpdateWebhookBody,
  WebhookIdParams, WebhookResponse, WebhooksQuery,
} from './schemas.js';
import {
  createWebhook, deleteWebhook, getWebhook, listDeliveries, listWebhooks, ping, redeliver, rotateWebhookSecret, updateWebhook,
} from './service.js';

/** opencase extension routes for webhooks, under `/opencase/v1` (admins only). */
export async function webhookRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const allowPrivate = app.config.webhookAllowPrivate;

  typed.post('/webhooks', { schema: { body: CreateWebhookBody, response: { 200: CreateWebhookResponse, ...errorResponses } } }, async (request) => {
    return success(await createWebhook(app.store, tenantOf(request), request.body, allowPrivate, app.clock()));
  });

  typed.get('/webhooks', { schema: { querystring: WebhooksQuery, response: { 200: ListWebhooksResponse, ...errorResponses } } }, async (request) => {
    const { start, limit } = pageOf(request.query, 100);
    return success(await listWebhooks(app.store, tenantOf(request), start, limit));
  });

  typed.get('/webhooks/:id', { schema: { params: WebhookIdParams, response: { 200: WebhookResponse, ...errorResponses } } }, async (request) => {
    return success(await getWebhook(app.store, tenantOf(request), request.params.id));
  });

  typed.patch('/webhooks/:id', { schema: { params: WebhookIdParams, body: UpdateWebhookBody, response: { 200: WebhookResponse, ...errorResponses } } }, async (request) => {
    return success(await updateWebhook(app.store, tenantOf(request), request.params.id, request.body, allowPrivate, app.clock()));
  });

  typed.delete('/webhooks/:id', {
    schema: { params: WebhookIdParams, body: NoFields, response: { 200: Acknowledgement, ...errorResponses } }, preValidation: emptyBodyIsEmptyObject,
  }, async (request) => {
    await deleteWebhook(app.store, tenantOf(request), request.params.id);
    return acknowledged();
  });

  typed.post('/webhooks/:id/rotate-secret', {
    schema: { params: WebhookIdParams, body: NoFields, response: { 200: RotateSecretResponse, ...errorResponses } }, preValidation: emptyBodyIsEmptyObject,
  }, async (request) => {
    return success(await rotateWebhookSecret(app.store, tenantOf(request), request.params.id, app.clock()));
  });

  typed.get('/webhooks/:id/deliveries', { schema: { params: WebhookIdParams, querystring: WebhooksQuery, response: { 200: DeliveriesResponse, ...errorResponses } } }, async (request) => {
    const { start, limit } = pageOf(request.query, 100);
    return success(await listDeliveries(app.store, tenantOf(request), request.params.id, start, limit));
  });

  typed.post('/webhooks/:id/deliveries/:deliveryId/redeliver', {
    schema: { params: DeliveryParams, body: NoFields, response: { 200: AttemptResponse, ...errorResponses } }, preValidation: emptyBodyIsEmptyObject,
  }, async (request) => {
    return success(await redeliver(app.store, tenantOf(request), request.params.id, request.params.deliveryId, allowPrivate, app.clock));
  });

  typed.post('/webhooks/:id/ping', {
    schema: { params: WebhookIdParams, body: NoFields, response: { 200: AttemptResponse, ...errorResponses } }, preValidation: emptyBodyIsEmptyObject,
  }, async (request) => {
    return success(await ping(app.store, tenantOf(request), request.params.id, allowPrivate, app.clock));
  });
}
