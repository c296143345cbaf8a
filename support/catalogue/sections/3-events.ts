import { asArray } from '../../core/answers.ts';
import { segment } from '../../core/id-forms.ts';
import { idsFromEvents } from '../ids-from-answers.ts';
import { dataIdIs, everyItem, nonEmpty, okJson, rest, sortedById, splitIds } from '../rules.ts';
import type { SectionPlans } from '../types.ts';

/** Events, shows and seats (3.x). */

function seatQuantitiesHold(body: any): string | null {
  const seats = Object.values<any>(body?.data ?? {});
  const bad = seats.filter((s) => typeof s?.free_quantity === 'number' && typeof s.max_quantity === 'number' && s.free_quantity > s.max_quantity);
  return bad.length === 0 ? null : `${bad.length} seat(s) have free_quantity > max_quantity, e.g. ${bad[0].id}`;
}

export const EVENTS_PLANS: SectionPlans = {
  '3.1': {
    requests: () => [rest('GET', '/events')],
    contract: 'events.list',
    deep: true,
    expect: okJson([nonEmpty('event'), sortedById('asc')]),
    expectedText: '200 list, perPage 10, deleted events included',
    load: 'events',
    discovers: idsFromEvents,
  },
  '3.2': {
    requests: () => [rest('GET', '/events', { where: [{ column: 'is_active', value: 1 }], page: 1 })],
    contract: 'events.list',
    expect: okJson([everyItem('every event has is_active=1', (e) => e.is_active === 1)]),
    expectedText: '200 list, only is_active=1',
    load: 'events',
  },
  '3.3': {
    needs: ['eventId'],
    requests: (ids) => [rest('GET', `/events/${segment('eventId', ids.eventId)}`)],
    contract: 'events.one',
    expect: okJson([dataIdIs('eventId')]),
    expectedText: '200 {data: Event} for a real id (the example ids answer 404)',
    load: 'events',
  },
  '3.4': {
    requests: () => [rest('POST', '/events', { data: { name: 'Тестовое мероприятие', description: 'Описание мероприятия', shows: [{ start_date: '2025-12-01T19:00:00+03:00', finish_date: '2025-12-01T22:00:00+03:00' }] } })],
    contract: 'events.one',
    expect: okJson([{ text: 'the event has one show', check: (body) => (asArray(body?.data?.shows).length === 1 ? null : 'the created event has no show') }]),
    expectedText: '200 Event with its show (never observed live)',
    sandbox: ['SANDBOX_CREATE'],
    discovers: (body) => (body?.data?.id ? { createdEventId: String(body.data.id) } : {}),
  },
  '3.5': {
    needs: ['createdEventId'],
    requests: (ids) => [rest('PUT', `/events/${segment('createdEventId', ids.createdEventId)}`, { data: { name: 'Обновлённое название', description: 'Новое описание' } })],
    contract: 'events.one',
    expect: okJson([{ text: 'the name is updated', check: (body) => (body?.data?.name === 'Обновлённое название' ? null : 'the name was not updated') }]),
    expectedText: '200 Event updated (never observed live)',
    sandbox: ['SANDBOX_EVENT_ID'],
  },
  '3.6': {
    needs: ['eventId', 'eventShowIds'],
    requests: (ids) => splitIds(ids.eventShowIds).map((show) => rest('GET', `/shows/${segment('showId', show)}/seats`, { select: ['id', 'zone_id', 'available', 'max_quantity', 'free_quantity', 'price'], flat: true })),
    contract: 'seats.flat',
    expect: okJson([{ text: 'free_quantity ≤ max_quantity for every seat', check: (body) => seatQuantitiesHold(body) }]),
    expectedText: '200 flat seats per show of the event (the spec path answers 404 HTML)',
    load: 'inventory',
  },
  '3.7': {
    needs: ['singleShowEventId', 'singleShowId'],
    requests: (ids) => [rest('GET', `/shows/${segment('singleShowId', ids.singleShowId)}/seats`, { select: ['id', 'zone_id', 'available', 'max_quantity', 'free_quantity', 'price'], flat: true })],
    contract: 'seats.flat',
    expect: okJson([{ text: 'free_quantity ≤ max_quantity for every seat', check: (body) => seatQuantitiesHold(body) }]),
    expectedText: '200 flat seats of one show (the spec path answers 404 HTML)',
    load: 'inventory',
  },
};
