import { asArray } from '../../core/answers.ts';
import { segment } from '../../core/id-forms.ts';
import { nowMsk, okJson, rest, splitIds } from '../rules.ts';
import type { SectionPlans } from '../types.ts';

/** Barcodes and scanning (5.x). */

export const BARCODES_PLANS: SectionPlans = {
  '5.1': {
    needs: ['showId'],
    requests: (ids) => [rest('GET', `/shows/${segment('showId', ids.showId)}/barcodes`, { select: ['barcode', 'price', 'seat_name'] })],
    contract: 'barcodes.list',
    expect: okJson([{ text: 'the answer is a bare array', check: (body) => (Array.isArray(body) ? null : 'the answer is not a bare array') }]),
    expectedText: '200 bare array on /shows/{id}/barcodes (the spec path answers 404 HTML)',
    load: 'barcodes',
    discovers: (body) => {
      const first = asArray(body).find((b) => typeof b.barcode === 'string');
      return first ? { barcode: first.barcode } : {};
    },
  },
  '5.2': {
    needs: ['eventId', 'eventShowIds'],
    requests: (ids) => splitIds(ids.eventShowIds).map((show) => rest('GET', `/shows/${segment('showId', show)}/barcodes`, { select: ['barcode', 'price', 'seat_name', 'zone_name', 'row', 'place'] })),
    contract: 'barcodes.list',
    expect: okJson([{ text: 'each answer is a bare array', check: (body) => (Array.isArray(body) ? null : 'the answer is not a bare array') }]),
    expectedText: '200 bare array per show of the event (the spec path answers 404 HTML)',
    load: 'barcodes',
  },
  '5.3': {
    needs: ['showId', 'barcode'],
    requests: (ids) => [rest('GET', `/shows/${segment('showId', ids.showId)}/barcode/${segment('barcode', ids.barcode)}`)],
    contract: 'barcode.one',
    expect: okJson([{ text: 'the answer is the requested barcode', check: (body, ids) => (body?.barcode === ids.barcode ? null : `barcode is ${body?.barcode}`) }]),
    expectedText: '200 {barcode, checked_at} (the spec path is undocumented)',
    load: 'barcodes',
  },
  '5.4': {
    needs: ['showId', 'barcode'],
    requests: (ids) => [rest('POST', `/shows/${segment('showId', ids.showId)}/barcode/${segment('barcode', ids.barcode)}`, { checked_at: nowMsk() })],
    contract: 'barcode.checked',
    expect: okJson([{ text: 'success is true', check: (body) => (body?.success === true ? null : 'success is not true') }]),
    expectedText: '200 {success:true, barcode, checked_at} (never observed live)',
    sandbox: ['SANDBOX_SHOW_ID', 'SANDBOX_BARCODE'],
  },
  '5.5': {
    needs: ['showId', 'barcode'],
    requests: (ids) => [rest('POST', `/shows/${segment('showId', ids.showId)}/barcodes`, [{ barcode: ids.barcode, checked_at: nowMsk() }])],
    contract: null,
    expect: okJson(),
    expectedText: '200 (never observed live)',
    sandbox: ['SANDBOX_SHOW_ID', 'SANDBOX_BARCODE'],
  },
};
