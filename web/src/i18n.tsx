import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

/**
 * The console's words in English and 简体中文. A typed dictionary rather than i18next: its current major declares
 * Node >= 22 (an engine warning on every install here) for what two languages and a few dozen words need.
 */
const en = {
  'app.title': 'opencase',
  'app.language': 'Language',
  'app.signOut': 'Sign out',
  'app.signedInAs': 'Signed in as {name} ({role})',
  'role.agent': 'agent',
  'role.supervisor': 'supervisor',
  'role.admin': 'admin',
  'signIn.title': 'Sign in to opencase',
  'signIn.login': 'Login',
  'signIn.password': 'Password',
  'signIn.tenant': 'Tenant id (only when your login exists in several tenants)',
  'signIn.submit': 'Sign in',
  'signIn.failed': 'The login or the password is wrong.',
  'nav.queue': 'Queue',
  'queue.title': 'Cases',
  'queue.view': 'View',
  'queue.view.mine': 'Mine (open)',
  'queue.view.created': 'Created by me',
  'queue.view.followed': 'Followed',
  'queue.view.all': 'All',
  'queue.search': 'Search titles',
  'queue.status': 'Status',
  'queue.anyStatus': 'Any status',
  'queue.count': '{count} cases',
  'queue.empty': 'No case matches.',
  'queue.col.no': 'No.',
  'queue.col.title': 'Title',
  'queue.col.status': 'Status',
  'queue.col.priority': 'Priority',
  'queue.col.owner': 'Owner',
  'queue.col.created': 'Created',
  'queue.keys': 'j / k move, Enter opens, / searches, Esc leaves the search',
  'case.back': 'Back to the queue',
  'case.fields': 'Fields',
  'case.description': 'Description',
  'case.owner': 'Owner',
  'case.priority': 'Priority',
  'case.created': 'Created',
  'case.due': 'Due',
  'case.contact': 'Contact',
  'case.flow': 'Status',
  'case.moveTo': 'Move to {status}',
  'case.close': 'Close the case',
  'case.closed': 'Closed',
  'case.note': 'Internal note',
  'case.noteTitle': 'Note title',
  'case.addNote': 'Add the note',
  'case.timeline': 'Timeline',
  'case.tasks': 'Tasks',
  'case.noTasks': 'No tasks.',
  'error.generic': 'Something went wrong: {message}',
  'common.loading': 'Loading…',
  'common.previous': 'Previous',
  'common.next': 'Next',
  'common.page': 'Page {page} of {pages}',
} as const;

export type MessageKey = keyof typeof en;

const zh: Record<MessageKey, string> = {
  'app.title': 'opencase',
  'app.language': '语言',
  'app.signOut': '退出登录',
  'app.signedInAs': '已登录：{name}（{role}）',
  'role.agent': '座席',
  'role.supervisor': '班长',
  'role.admin': '管理员',
  'signIn.title': '登录 opencase',
  'signIn.login': '登录名',
  'signIn.password': '密码',
  'signIn.tenant': '租户 ID（仅当登录名存在于多个租户时填写）',
  'signIn.submit': '登录',
  'signIn.failed': '登录名或密码错误。',
  'nav.queue': '工单队列',
  'queue.title': '工单',
  'queue.view': '视图',
  'queue.view.mine': '我的待办',
  'queue.view.created': '我创建的',
  'queue.view.followed': '我关注的',
  'queue.view.all': '全部',
  'queue.search': '搜索标题',
  'queue.status': '状态',
  'queue.anyStatus': '任意状态',
  'queue.count': '共 {count} 个工单',
  'queue.empty': '没有匹配的工单。',
  'queue.col.no': '编号',
  'queue.col.title': '标题',
  'queue.col.status': '状态',
  'queue.col.priority': '优先级',
  'queue.col.owner': '处理人',
  'queue.col.created': '创建时间',
  'queue.keys': 'j / k 移动，Enter 打开，/ 搜索，Esc 退出搜索',
  'case.back': '返回队列',
  'case.fields': '字段',
  'case.description': '描述',
  'case.owner': '处理人',
  'case.priority': '优先级',
  'case.created': '创建时间',
  'case.due': '截止时间',
  'case.contact': '联系人',
  'case.flow': '状态',
  'case.moveTo': '流转到 {status}',
  'case.close': '关闭工单',
  'case.closed': '已关闭',
  'case.note': '内部备注',
  'case.noteTitle': '备注标题',
  'case.addNote': '添加备注',
  'case.timeline': '处理记录',
  'case.tasks': '任务',
  'case.noTasks': '没有任务。',
  'error.generic': '出错了：{message}',
  'common.loading': '加载中…',
  'common.previous': '上一页',
  'common.next': '下一页',
  'common.page': '第 {page} 页，共 {pages} 页',
};

export const LANGUAGES = { en: 'English', 'zh-CN': '简体中文' } as const;
export type Language = keyof typeof LANGUAGES;
const DICTIONARIES: Record<Language, Record<MessageKey, string>> = { en, 'zh-CN': zh };
const STORAGE_KEY = 'opencase.language';

/** The language chosen before, else the browser's: Chinese for any zh-*, English otherwise. */
function initialLanguage(): Language {
  const stored = localStorage.getItem(STORAGE_KEY);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.languages.some((tag) => tag.toLowerCase().startsWith('zh')) && !navigator.languages[0]?.toLowerCase().startsWith('en') ? 'zh-CN' : 'en';
}

export type Translate = (key: MessageKey, params?: Record<string, string | number>) => string;

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: Translate;
}

const I18nContext = createContext<I18n | undefined>(undefined);

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  const setLanguage = useCallback((next: Language) => {
    localStorage.setItem(STORAGE_KEY, next);
    document.documentElement.lang = next;
    setLanguageState(next);
  }, []);
  const t = useCallback<Translate>((key, params) => {
    const text = DICTIONARIES[language][key];
    return params ? text.replace(/\{(\w+)\}/g, (whole, name: string) => String(params[name] ?? whole)) : text;
  }, [language]);
  const value = useMemo(() => ({ language, setLanguage, t }), [language, setLanguage, t]);
  document.documentElement.lang = language;
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const i18n = useContext(I18nContext);
  if (!i18n) throw new Error('useI18n outside I18nProvider');
  return i18n;
}
