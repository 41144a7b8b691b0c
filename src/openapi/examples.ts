import { DEMO_CASE, DEMO_CASE_TYPE, DEMO_CONTACT, DEMO_TASK_ID, DEMO_USER } from '../demo/records.js';

/**
 * A request that works on the demo tenant, by operationId: the reference's "Try it out" starts from it, so a first
 * call on `npm start` answers resCode "0" instead of a 400 for the placeholder "string". Bodies follow AICC's own
 * example requests where its pages have one (创建任务 is the documentation's, to the letter).
 */
export interface RequestExample {
  id?: string;
  body?: unknown;
  /** The example (an operationId) to try first: 关闭工单 needs the case at its flow's end, where 修改工单状态's leaves it. */
  after?: string;
}

export const REQUEST_EXAMPLES: Readonly<Record<string, RequestExample>> = {
  postTask: {
    body: {
      taskInfo: {
        title: 'test002', description: 'test001', type: 'Case', ownerId: DEMO_USER.id, relateId: DEMO_CASE.id,
        dueDate: '2023-07-08 00:00:00', contactId: DEMO_CONTACT.id, priority: 'Low', creatorId: DEMO_USER.id,
      },
    },
  },
  postTaskList: { body: { start: 0, limit: 20, creatorId: DEMO_USER.id, classification: 'Todo' } },
  getTaskById: { id: DEMO_TASK_ID },
  postTaskById: { id: DEMO_TASK_ID, body: { id: DEMO_TASK_ID } },
  postTaskModify: { body: { taskInfo: { id: DEMO_TASK_ID, title: 'test002', priority: 'High', creatorId: DEMO_USER.id } } },
  postTaskTransfer: { body: { id: DEMO_TASK_ID, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id } },
  postTaskStatusUpdate: { body: { id: DEMO_TASK_ID, status: 'Processing', creatorId: DEMO_USER.id } },
  postTaskProcess: {
    body: { taskId: DEMO_TASK_ID, creatorId: DEMO_USER.id, processInfo: { type: 'Iternal', title: 'Called back', description: 'The customer confirmed the fix' } },
  },
  postCase: {
    body: {
      caseInfo: {
        title: 'Printer jams', description: 'Every morning', type: DEMO_CASE_TYPE.id, isAtuoAssigned: true,
        contactId: DEMO_CONTACT.id, origin: 'Voice', priority: 'High',
      },
    },
  },
  postCaseList: { body: { start: 0, limit: 20 } },
  getCaseById: { id: DEMO_CASE.id },
  postCaseModify: { body: { caseInfo: { id: DEMO_CASE.id, title: DEMO_CASE.title, description: 'Updated by the API reference', creatorId: DEMO_USER.id } } },
  postCaseTransfer: { body: { id: DEMO_CASE.id, ownerId: DEMO_USER.id, creatorId: DEMO_USER.id, remark: 'Yours now' } },
  postCaseProcess: {
    body: { caseId: DEMO_CASE.id, creatorId: DEMO_USER.id, processInfo: { type: 'Iternal', title: 'Note', description: 'Called the customer' } },
  },
  postCaseCancel: { body: { id: DEMO_CASE.id, creatorId: DEMO_USER.id, remark: 'Opened by mistake' } },
  postStatusUpdate: { body: { id: DEMO_CASE.id, status: 'Completed', creatorId: DEMO_USER.id } },
  postClose: { body: { caseId: DEMO_CASE.id, creatorId: DEMO_USER.id, remark: 'Solved' }, after: 'postStatusUpdate' },
  postCaseTypeList: { body: { start: 0, limit: 20 } },
  // The month of the demo case (created 2023-07-07, due 2023-07-22): new on the 7th, overdue from the 22nd.
  postStatisticsCaseReport: { body: { caseTypeId: DEMO_CASE_TYPE.id, startTime: '2023-07-01', endTime: '2023-07-31', start: 0, limit: 31 } },
  getCaseTypeById: { id: DEMO_CASE_TYPE.id },
  postCaseTypeById: { id: DEMO_CASE_TYPE.id, body: { id: DEMO_CASE_TYPE.id } },
  getContactsById: { id: DEMO_CONTACT.id },
  postCasesByIdSuspend: { id: DEMO_CASE.id, body: { creatorId: DEMO_USER.id, remark: 'Waiting for the customer' } },
  postCasesByIdFollow: { id: DEMO_CASE.id, body: {} },
  postCasesByIdUnfollow: { id: DEMO_CASE.id, body: {} },
};
