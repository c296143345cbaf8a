import { asArray } from '../../core/answers.ts';
import { isPaid } from '../../core/orders.ts';
import { segment } from '../../core/id-forms.ts';
import type { ApiRequest, Ids } from '../../core/types.ts';
import { idsFromOrders } from '../ids-from-answers.ts';
import { dataIdIs, everyItem, nonEmpty, okJson, rest, sortedById } from '../rules.ts';
import type { SectionPlans } from '../types.ts';

/** Orders and baskets (1.x): the REST orders list, one order, and the basket writes. */

const msk = (iso: string): number => Date.parse(iso);

const ordersList = (body?: unknown): ((ids: Ids) => ApiRequest[]) => () => [rest('GET', '/orders', body)];

export const ORDERS_PLANS: SectionPlans = {
  '1.1': {
    requests: ordersList(),
    contract: 'orders.list',
    deep: true,
    expect: okJson([nonEmpty('order'), sortedById('asc')]),
    expectedText: '200 list, perPage 50, ids ascending',
    load: 'orders',
    discovers: idsFromOrders,
  },
  '1.2': {
    requests: ordersList({ where: [{ column: 'payed', value: 1 }], orderBy: { id: 'asc' }, page: 1 }),
    contract: 'orders.list',
    expect: okJson([everyItem('every order has payed=true', isPaid), sortedById('asc')]),
    expectedText: '200 list, only paid orders',
    load: 'orders',
  },
  '1.3': {
    requests: ordersList({ where: [{ column: 'payed', value: 0 }], orderBy: { id: 'desc' }, page: 1 }),
    contract: 'orders.list',
    expect: okJson([everyItem('every order has payed=false', (o) => !isPaid(o)), sortedById('desc')]),
    expectedText: '200 list, only unpaid orders, loads nothing',
    load: 'orders',
  },
  '1.4': {
    requests: ordersList({ where: [{ column: 'created_at', operator: '>=', value: '2025-01-01T00:00:00+03:00' }], page: 1 }),
    contract: 'orders.list',
    expect: okJson([everyItem('every order created on or after 2025-01-01 MSK', (o) => msk(o.created_at) >= msk('2025-01-01T00:00:00+03:00'))]),
    expectedText: '200 list, created_at >= 2025-01-01',
    load: 'orders',
    deviationNotes: ['the spec sends the date as "2025-01-01"; the documentation asks for YYYY-MM-DDTHH:MM:SS+03:00, which is sent'],
  },
  '1.5': {
    needs: ['paidEventId'],
    requests: (ids) => [rest('GET', '/orders', { where: [{ column: 'payed', value: 1 }, { column: 'event_id', value: Number(ids.paidEventId) }], orderBy: { id: 'desc' }, page: 1 })],
    contract: 'orders.list',
    expect: okJson([
      everyItem('every order has payed=true', isPaid),
      everyItem('every order belongs to the requested event', (o, ids) => String(o.event_id) === ids.paidEventId),
      sortedById('desc'),
    ]),
    expectedText: '200 list, paid orders of one event',
    load: 'orders',
  },
  '1.6': {
    needs: ['orderId'],
    requests: (ids) => [rest('GET', `/orders/${segment('orderId', ids.orderId)}`)],
    contract: 'orders.one',
    expect: okJson([dataIdIs('orderId')]),
    expectedText: '200 {data: Order} for a real id (the example ids answer 404)',
    load: 'orders',
  },
  '1.7': {
    needs: ['writeOrderId', 'basketId'],
    requests: (ids) => [rest('DELETE', `/orders/${segment('writeOrderId', ids.writeOrderId)}/baskets`, { delete: { baskets: { [ids.basketId!]: [] } } })],
    contract: 'orders.one',
    expect: okJson([{
      text: 'the basket has deleted_at set',
      check: (body, ids) => (asArray(body?.data?.baskets).find((b) => String(b.id) === ids.basketId)?.deleted_at ? null : `basket ${ids.basketId} has no deleted_at`),
    }]),
    expectedText: '200 Order with the basket deleted (never observed live)',
    sandbox: ['SANDBOX_ORDER_ID', 'SANDBOX_BASKET_ID'],
  },
  '1.8': {
    needs: ['basketId2'],
    requests: (ids) => [rest('PUT', `/baskets/${segment('basketId2', ids.basketId2)}`, { data: { client_name: 'Новое Имя', client_surname: 'Новая Фамилия' } })],
    contract: 'baskets.one',
    expect: okJson([{
      text: 'client_name and client_surname are updated',
      check: (body) => {
        const basket = body?.data;
        return basket?.client_name === 'Новое Имя' && basket.client_surname === 'Новая Фамилия' ? null : 'the basket does not carry the new name';
      },
    }]),
    expectedText: '200 Basket with the new client name (never observed live)',
    sandbox: ['SANDBOX_BASKET_ID'],
    deviationNotes: ['client_phone is not an editable basket field in the documentation; it is not sent'],
  },
  '1.9': {
    needs: ['writeOrderId', 'basketId2'],
    requests: (ids) => [rest('DELETE', `/orders/${segment('writeOrderId', ids.writeOrderId)}/baskets`, { refund: { amount: 150, baskets: { [ids.basketId2!]: [] } } })],
    contract: 'orders.one',
    expect: okJson([{
      text: 'the basket has refunded_at set',
      check: (body, ids) => (asArray(body?.data?.baskets).find((b) => String(b.id) === ids.basketId2)?.refunded_at ? null : `basket ${ids.basketId2} has no refunded_at`),
    }]),
    expectedText: '200 Order with refunded_* filled (never observed live)',
    sandbox: ['SANDBOX_ORDER_ID', 'SANDBOX_BASKET_ID'],
    deviationNotes: ['amount and deduction_amount are alternatives in the documentation; only amount is sent'],
  },
  '1.10': {
    needs: ['cancelledOrderId'],
    requests: (ids) => [rest('POST', `/orders/${segment('cancelledOrderId', ids.cancelledOrderId)}/restore`, {})],
    contract: 'orders.one',
    expect: okJson([{ text: 'deleted_at is null', check: (body) => (body?.data?.deleted_at === null ? null : `deleted_at is ${body?.data?.deleted_at}`) }]),
    expectedText: '200 Order with deleted_at null (never observed live)',
    sandbox: ['SANDBOX_ORDER_ID'],
  },
};
