import type { Ids } from '../../core/types.ts';
import { idsFromClients } from '../ids-from-answers.ts';
import { nonEmpty, okJson, rest, sortedById } from '../rules.ts';
import type { SectionPlans } from '../types.ts';

/** Clients (2.x): the list, and create or update by email. */

const newClientEmail = (ids: Ids): string => ids.clientEmail ?? 'test@example.com';

export const CLIENTS_PLANS: SectionPlans = {
  '2.1': {
    requests: () => [rest('GET', '/clients')],
    contract: 'clients.list',
    deep: true,
    expect: okJson([nonEmpty('client'), sortedById('asc')]),
    expectedText: '200 list, perPage 100',
    load: 'clients',
    discovers: idsFromClients,
  },
  '2.2': {
    requests: () => [rest('GET', '/clients', { page: 1, per_page: 50 })],
    contract: 'clients.list',
    expect: okJson([{ text: 'paging.currentPage is 1', check: (body) => (body?.paging?.currentPage === 1 ? null : `currentPage is ${body?.paging?.currentPage}`) }]),
    expectedText: '200 list (per_page is ignored live; the size is not asserted)',
    load: 'clients',
  },
  '2.3': {
    // Against a live tenant the sandbox client's email replaces the spec's test@example.com.
    requests: (ids) => [rest('POST', '/clients', { data: { email: newClientEmail(ids), details: { name: 'Тестовый', surname: 'Покупатель', middlename: 'Тестович', phone: '+79001234567' } } })],
    contract: 'clients.one',
    expect: okJson([{ text: 'the client carries the email sent', check: (body, ids) => (body?.data?.email === newClientEmail(ids) ? null : 'the answer has another email') }]),
    expectedText: '200 Client (create or update by email; never observed live)',
    sandbox: ['SANDBOX_CLIENT_EMAIL'],
  },
  '2.4': {
    needs: ['clientEmail'],
    requests: (ids) => [rest('POST', '/clients', { data: { email: ids.clientEmail, details: { name: 'Обновлённое Имя', phone: '+79009876543' } } })],
    contract: 'clients.one',
    expect: okJson([{ text: 'details.name is updated', check: (body) => (body?.data?.details?.name === 'Обновлённое Имя' ? null : 'the name was not updated') }]),
    expectedText: '200 Client updated by email (never observed live)',
    sandbox: ['SANDBOX_CLIENT_EMAIL'],
  },
};
