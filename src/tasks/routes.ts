import type { FastifyInstance } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { tenantOf } from '../auth/hook.js';
import { Acknowledgement, acknowledged, success } from '../wire/envelope.js';
import { ApiError } from '../wire/errors.js';
import { errorResponses, sendSerialized } from '../wire/fastify.js';
import {
  CreateTaskBody, CreateTaskResponse, ListTasksBody, ListTasksEitherResponse, ModifyTaskBody, ProcessTaskBody, TaskDetailBody,
  TaskIdParams, TransferTaskBody, UpdateTaskStatusBody,
} from './schemas.js';
import { PARTIAL_HEADER } from '../lists/reply-bound.js';
import { TaskDetailResponse } from './detail-schema.js';
import taskDetailExample from '../demo/task-detail-example.json' with { type: 'json' };
import { createTask, getTaskDetailBody, listTasksBody, modifyTask, processTask, transferTask, updateTaskStatus } from './service.js';

/** Task routes (工单任务, V2.0), registered under `/service/AICC__Case/1.0.0/openapi`. */
export async function taskRoutes(app: FastifyInstance): Promise<void> {
  const typed = app.withTypeProvider<TypeBoxTypeProvider>();
  const acknowledgement = { 200: Acknowledgement, ...errorResponses };
  // The reference shows AICC's own example, which the demo tenant answers byte for byte.
  const detailResponse = { 200: { ...TaskDetailResponse, examples: [taskDetailExample] }, ...errorResponses };

  typed.post('/task', { schema: { body: CreateTaskBody, response: { 200: CreateTaskResponse, ...errorResponses } } }, async (request) => {
    return success(await createTask(app.store, tenantOf(request), request.body.taskInfo, app.clock()));
  });

  // Integrations poll the same lists over and over; each is answered from cache until the tenant changes.
  typed.post('/task/list', { schema: { body: ListTasksBody, response: { 200: ListTasksEitherResponse, ...errorResponses } } }, async (request, reply) => {
    const { body, partial } = await listTasksBody(app.store, tenantOf(request), request.body, app.config.replyLimitBytes);
    if (partial !== undefined) reply.header(PARTIAL_HEADER, partial);
    sendSerialized(reply, body);
  });

  typed.post('/task/modify', {
    schema: { body: ModifyTaskBody, response: acknowledgement },
    // AICC moves owners and statuses through their own calls: said before validation, which would call them unknown.
    preValidation: async (request) => {
      const taskInfo = (request.body as { taskInfo?: unknown } | null)?.taskInfo;
      if (typeof taskInfo !== 'object' || taskInfo === null) return;
      for (const [field, call] of [['ownerId', 'task/transfer'], ['status', 'task/status/update']] as const) {
        if (field in taskInfo) throw new ApiError('invalidRequest', `taskInfo.${field} cannot be changed by task/modify: use ${call}`);
      }
    },
  }, async (request) => {
    await modifyTask(app.store, tenantOf(request), request.body.taskInfo, app.clock());
    return acknowledged();
  });

  typed.post('/task/transfer', { schema: { body: TransferTaskBody, response: acknowledgement } }, async (request) => {
    await transferTask(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });

  typed.post('/task/status/update', { schema: { body: UpdateTaskStatusBody, response: acknowledgement } }, async (request) => {
    await updateTaskStatus(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });

  typed.post('/task/process', { schema: { body: ProcessTaskBody, response: acknowledgement } }, async (request) => {
    await processTask(app.store, tenantOf(request), request.body, app.clock());
    return acknowledged();
  });

  // AICC's newest Chinese page documents GET, every other revision POST: both are served.
  // Task detail is what integrations poll all day: served as cached bytes while the task is unchanged.
  typed.get('/task/:id', { schema: { params: TaskIdParams, response: detailResponse } }, async (request, reply) => {
    const { body, partial } = await getTaskDetailBody(app.store, tenantOf(request), request.params.id, app.config.replyLimitBytes);
    if (partial !== undefined) reply.header(PARTIAL_HEADER, partial);
    sendSerialized(reply, body);
  });

  typed.post('/task/:id', {
    schema: { params: TaskIdParams, body: TaskDetailBody, response: detailResponse },
    // The id is in the path, so a POST with no body at all is a complete request.
    preValidation: async (request) => {
      request.body ??= {};
    },
  }, async (request, reply) => {
    const bodyId = request.body.id;
    if (bodyId !== undefined && bodyId !== request.params.id) {
      throw new ApiError('invalidRequest', `id in the body (${bodyId}) differs from the id in the path (${request.params.id})`);
    }
    const { body, partial } = await getTaskDetailBody(app.store, tenantOf(request), request.params.id, app.config.replyLimitBytes);
    if (partial !== undefined) reply.header(PARTIAL_HEADER, partial);
    sendSerialized(reply, body);
  });
}
