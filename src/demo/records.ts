/**
 * The demo tenant's records: exactly the ones behind the example response of AICC's 查询任务详情 page
 * (shared/spec/task-detail-example.json), with the page's ids. Times are written as the page shows them,
 * wall-clock in the tenant's zone; AICC's examples come from servers on China Standard Time.
 */
export const DEMO_TENANT = {
  id: 'tnnt000000000000demo',
  name: 'opencase demo',
  timeZone: 'Asia/Shanghai',
} as const;

export const DEMO_CLIENT = { clientId: 'demo-client', clientSecret: 'demo-secret' } as const;

export const DEMO_TASK_ID = 'ccqG0000014iXvGKONQO';

export const DEMO_USER = { id: '10gg00000148QvgpaLAm', name: 'liuhuqiong001', createdDate: '2023-06-01 09:00:00' } as const;

export const DEMO_ORGANIZATION = { id: 'cBbs0000013y7cBnkKMS', organizationName: '公司', createdDate: '2023-06-09 15:33:35' } as const;

export const DEMO_CONTACT = {
  id: 'ciIy0000013y7cC8T2rA',
  customerName: '客户1',
  cellPhone1: '15005167393',
  email: 'customer@huawei.com',
  createdDate: '2023-06-09 15:33:35',
  lastModifiedDate: '2023-06-09 15:33:35',
} as const;

export const DEMO_ADDRESS = { id: 'cw8O0000013y7cCDIE4G', createdDate: '2023-06-09 15:33:35' } as const;

export const DEMO_CASE_TYPE = {
  id: 'cvmC0000014ddysLTCZk',
  typeName: 'Demo',
  description: 'The case type of the AICC documentation example',
  // "tttttt" is the business-defined flow node the example case sits in; Completed ends every flow.
  caseStatuses: ['tttttt', 'Completed'],
  createdDate: '2023-06-01 09:00:00',
} as const;

export const DEMO_CASE = {
  id: 'c6m80000014iXKHqDw3c',
  caseNo: 6,
  attachment: '',
  title: '0704test',
  description: '0704test',
  status: 'tttttt',
  state: 'Processing',
  priority: 'Low',
  origin: 'Voice',
  createdDate: '2023-07-07 14:43:15',
  dueDate: '2023-07-22 00:00:00',
} as const;

export const DEMO_TASK = {
  id: DEMO_TASK_ID,
  taskNo: 1002,
  attachment: '',
  title: 'test002',
  description: 'test001',
  relateType: 'Case',
  status: 'Pending',
  priority: 'Low',
  createdDate: '2023-07-07 14:51:35',
  dueDate: '2023-07-08 00:00:00',
  // AICC's example records the creator's name as the creator's id (as its OpenAPI-created records show);
  // the record keeps what AICC recorded, while ownerName comes live from the user.
  creatorName: DEMO_USER.id,
} as const;
