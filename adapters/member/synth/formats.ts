/**
 * Native export formats of the synthetic members (docs/data-standard.md §8.2). Each format is one
 * table — standard field -> native column or JSON path — plus native code words and value
 * encodings; the exports and the matching mapping file are both generated from it.
 */
import type { CodeListName } from '../standard/codes';
import { FIELD_DICTIONARY, type FieldSpec } from '../standard/dictionary';
import type { SynthEntity } from './model';

/** A member export format. */
export interface FormatSpec {
  id: 'zh-csv' | 'nested-ndjson' | 'en-semicolon-csv';
  description: string;
  source: { type: 'csv'; delimiter: string; bom: boolean } | { type: 'ndjson' };
  files: Record<SynthEntity, string>;
  /** Standard field -> native column (CSV) or JSON path (NDJSON), per entity. */
  fields: Record<SynthEntity, Record<string, string>>;
  /** Native words for standard codes, per code list (absent lists use the standard codes). */
  codes: Partial<Record<CodeListName, Record<string, string>>>;
  amountUnit: 'major' | 'minor';
  timestampFormat: 'YYYY/MM/DD' | 'epoch_ms' | 'YYYY-MM-DD HH:mm:ss';
  dateFormat: 'YYYY/MM/DD' | 'epoch_ms' | 'YYYY-MM-DD';
  booleans: [string | boolean, string | boolean];
  /** Unmapped native columns (free text) to make the files realistic, per entity. */
  extras?: Partial<Record<SynthEntity, string>>;
}

const zh: FormatSpec = {
  id: 'zh-csv',
  description: 'Chinese column headers, comma CSV with BOM, yuan decimals, YYYY/MM/DD dates, Chinese status words',
  source: { type: 'csv', delimiter: ',', bom: true },
  files: { customer: '客户.csv', creditLine: '授信.csv', order: '订单.csv', installment: '还款计划.csv', refund: '退款.csv', fraudCase: '欺诈案件.csv' },
  fields: {
    customer: { customerRef: '客户编号', subjectId: '身份证号', phone: '手机号', name: '姓名', registeredAt: '注册日期', channel: '注册渠道', verificationMethod: '认证方式', verifiedAt: '认证日期' },
    creditLine: { creditLineRef: '授信编号', customerRef: '客户编号', product: '产品', openedAt: '开通日期', limit: '额度(元)', balance: '余额(元)', status: '状态' },
    order: { orderRef: '订单号', customerRef: '客户编号', placedAt: '下单日期', amount: '金额(元)', status: '订单状态', channel: '渠道', paymentMethod: '支付方式', creditLineRef: '授信编号' },
    installment: { creditLineRef: '授信编号', installmentNo: '期数', orderRef: '订单号', dueDate: '应还日期', amountDue: '应还金额(元)', amountPaid: '已还金额(元)', status: '还款状态', paidAt: '还清日期' },
    refund: { refundRef: '退款单号', orderRef: '订单号', customerRef: '客户编号', requestedAt: '申请日期', amount: '退款金额(元)', reason: '退款原因', withReturn: '是否退货', status: '退款状态', completedAt: '完成日期' },
    fraudCase: { caseRef: '案件编号', customerRef: '客户编号', reportedAt: '上报日期', type: '类型', status: '状态', confirmedAt: '确认日期' },
  },
  codes: {
    channel: { app: 'APP', web: '网页', mini_program: '小程序' },
    verificationMethod: { none: '未认证', id_document: '证件', face_match: '人脸', bank_card: '银行卡' },
    orderStatus: { completed: '已完成', cancelled: '已取消', returned: '已退货' },
    paymentMethod: { bnpl: '先用后付', card: '银行卡', wallet: '钱包' },
    creditProduct: { bnpl: '先用后付', installment_loan: '分期贷' },
    creditLineStatus: { active: '正常', frozen: '冻结' },
    repaymentStatus: { scheduled: '待还', paid: '已还清', paid_late: '逾期已还', overdue: '逾期' },
    refundReason: { damaged: '商品损坏', changed_mind: '不想要了', not_received: '未收到货' },
    refundStatus: { completed: '退款成功' },
    fraudType: { first_party: '恶意欺诈' },
    fraudStatus: { confirmed: '已确认' },
  },
  amountUnit: 'major',
  timestampFormat: 'YYYY/MM/DD',
  dateFormat: 'YYYY/MM/DD',
  booleans: ['是', '否'],
  extras: { order: '备注' },
};

const nested: FormatSpec = {
  id: 'nested-ndjson',
  description: 'nested NDJSON, amounts as integer fen, instants as epoch milliseconds, upper-case status codes',
  source: { type: 'ndjson' },
  files: { customer: 'users.ndjson', creditLine: 'credit_accounts.ndjson', order: 'orders.ndjson', installment: 'bills.ndjson', refund: 'refunds.ndjson', fraudCase: 'risk_cases.ndjson' },
  fields: {
    customer: { customerRef: 'uid', subjectId: 'identity.idNo', phone: 'identity.mobile', name: 'profile.realName', registeredAt: 'createdAt', channel: 'profile.source', verificationMethod: 'kyc.method', verifiedAt: 'kyc.passedAt' },
    creditLine: { creditLineRef: 'accountId', customerRef: 'uid', product: 'product.code', openedAt: 'openedAt', limit: 'quota.totalFen', balance: 'quota.usedFen', status: 'state' },
    order: { orderRef: 'orderNo', customerRef: 'buyer.uid', placedAt: 'createdAt', amount: 'payment.amountFen', currency: 'payment.currency', status: 'state', channel: 'source', paymentMethod: 'payment.method', creditLineRef: 'payment.accountId' },
    installment: { creditLineRef: 'accountId', installmentNo: 'term', orderRef: 'orderNo', dueDate: 'dueAt', amountDue: 'amounts.dueFen', amountPaid: 'amounts.paidFen', status: 'state', paidAt: 'settledAt' },
    refund: { refundRef: 'refundNo', orderRef: 'orderNo', customerRef: 'buyer.uid', requestedAt: 'timeline.appliedAt', amount: 'amountFen', reason: 'reason', withReturn: 'needReturn', status: 'state', completedAt: 'timeline.finishedAt' },
    fraudCase: { caseRef: 'caseId', customerRef: 'subject.uid', reportedAt: 'timeline.reportedAt', type: 'category', status: 'verdict', confirmedAt: 'timeline.closedAt' },
  },
  codes: {
    channel: { app: 'APP', web: 'PC', mini_program: 'MINI' },
    verificationMethod: { none: 'NONE', id_document: 'OCR', face_match: 'FACE', bank_card: 'CARD4' },
    orderStatus: { completed: 'FINISHED', cancelled: 'CLOSED', returned: 'RETURNED' },
    paymentMethod: { bnpl: 'PAY_LATER', card: 'CARD', wallet: 'BALANCE' },
    creditProduct: { bnpl: 'PL', installment_loan: 'IL' },
    creditLineStatus: { active: 'NORMAL', frozen: 'FROZEN' },
    repaymentStatus: { scheduled: 'PENDING', paid: 'SETTLED', paid_late: 'SETTLED_LATE', overdue: 'OVERDUE' },
    refundReason: { damaged: 'DAMAGED', changed_mind: 'NO_REASON', not_received: 'NOT_RECEIVED' },
    refundStatus: { completed: 'SUCCESS' },
    fraudType: { first_party: 'MALICIOUS' },
    fraudStatus: { confirmed: 'CONFIRMED' },
  },
  amountUnit: 'minor',
  timestampFormat: 'epoch_ms',
  dateFormat: 'epoch_ms',
  booleans: [true, false],
};

const en: FormatSpec = {
  id: 'en-semicolon-csv',
  description: 'English headers, semicolon CSV, amounts in fen, YYYY-MM-DD HH:mm:ss local time, numeric status codes',
  source: { type: 'csv', delimiter: ';', bom: false },
  files: { customer: 'customers.csv', creditLine: 'credit_lines.csv', order: 'orders.csv', installment: 'installments.csv', refund: 'refunds.csv', fraudCase: 'fraud.csv' },
  fields: {
    customer: { customerRef: 'customer_no', subjectId: 'id_number', phone: 'mobile', name: 'full_name', registeredAt: 'signup_time', channel: 'signup_channel', verificationMethod: 'kyc_level', verifiedAt: 'kyc_time' },
    creditLine: { creditLineRef: 'account_no', customerRef: 'customer_no', product: 'product', openedAt: 'open_time', limit: 'limit_cents', balance: 'balance_cents', status: 'status' },
    order: { orderRef: 'order_no', customerRef: 'customer_no', placedAt: 'order_time', amount: 'total_cents', status: 'status', channel: 'channel', paymentMethod: 'pay_type', creditLineRef: 'account_no' },
    installment: { creditLineRef: 'account_no', installmentNo: 'seq', orderRef: 'order_no', dueDate: 'due_date', amountDue: 'due_cents', amountPaid: 'paid_cents', status: 'status', paidAt: 'paid_time' },
    refund: { refundRef: 'refund_no', orderRef: 'order_no', customerRef: 'customer_no', requestedAt: 'request_time', amount: 'refund_cents', reason: 'reason_code', withReturn: 'return_flag', status: 'status', completedAt: 'done_time' },
    fraudCase: { caseRef: 'case_no', customerRef: 'customer_no', reportedAt: 'report_time', type: 'fraud_type', status: 'status', confirmedAt: 'confirm_time' },
  },
  codes: {
    channel: { app: '1', web: '2', mini_program: '3' },
    verificationMethod: { none: 'K0', id_document: 'K1', face_match: 'K2', bank_card: 'K3' },
    orderStatus: { completed: '40', cancelled: '90', returned: '95' },
    paymentMethod: { bnpl: '7', card: '1', wallet: '3' },
    creditProduct: { bnpl: 'P1', installment_loan: 'P2' },
    creditLineStatus: { active: 'A', frozen: 'F' },
    repaymentStatus: { scheduled: 'S', paid: 'P', paid_late: 'PL', overdue: 'O' },
    refundReason: { damaged: 'R1', changed_mind: 'R2', not_received: 'R3' },
    refundStatus: { completed: 'D' },
    fraudType: { first_party: 'FP' },
    fraudStatus: { confirmed: 'C' },
  },
  amountUnit: 'minor',
  timestampFormat: 'YYYY-MM-DD HH:mm:ss',
  dateFormat: 'YYYY-MM-DD',
  booleans: ['Y', 'N'],
};

/** The formats members cycle through: member 1 zh-csv, member 2 nested-ndjson, member 3 en-semicolon-csv, ... */
export const FORMATS: readonly FormatSpec[] = [zh, nested, en];

/** The spec of a standard field of a synthetic entity. */
export function specOf(entity: SynthEntity, field: string): FieldSpec {
  return (FIELD_DICTIONARY[entity] as Record<string, FieldSpec>)[field]!;
}
