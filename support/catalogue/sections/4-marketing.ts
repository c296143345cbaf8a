import { dataItems } from '../../core/answers.ts';
import { segment } from '../../core/id-forms.ts';
import { nonEmpty, okJson, rest } from '../rules.ts';
import type { SectionPlans } from '../types.ts';

/** Colour themes, discounts and promo codes (4.x). */

export const MARKETING_PLANS: SectionPlans = {
  '4.1': {
    requests: () => [rest('GET', '/color-themes')],
    contract: 'colorThemes.list',
    expect: okJson([nonEmpty('colour theme')]),
    expectedText: '200 {data: [{id, color}]} on /color-themes (the spec path is undocumented)',
    load: 'colorThemes',
  },
  '4.2': {
    requests: () => [rest('GET', '/discounts')],
    contract: 'discounts.list',
    deep: true,
    expect: okJson([nonEmpty('discount')]),
    expectedText: '200 list, perPage 100',
    load: 'discounts',
    discovers: (body) => {
      const first = dataItems(body).find((d) => !d.deleted_at) ?? dataItems(body)[0];
      return first ? { discountId: String(first.id) } : {};
    },
  },
  '4.3': {
    requests: () => [rest('GET', '/promo-codes')],
    contract: 'promoCodes.list',
    deep: true,
    expect: okJson([nonEmpty('promo code')]),
    expectedText: '200 list, perPage 500',
    load: 'promoCodes',
  },
  '4.4': {
    needs: ['discountId'],
    requests: (ids) => [rest('POST', '/promo-codes', { data: { is_active: 1, discount_id: Number(ids.discountId), code: 'TESTPROMO2025', max_uses_count: 1, active_from: '2025-01-01T00:00:00+03:00', active_to: '2025-12-31T23:59:59+03:00' } })],
    contract: 'promoCodes.one',
    expect: okJson([{ text: 'the promo code carries the code sent', check: (body) => (body?.data?.code === 'TESTPROMO2025' ? null : `code is ${body?.data?.code}`) }]),
    expectedText: '200 PromoCode (never observed live)',
    sandbox: ['SANDBOX_CREATE', 'SANDBOX_DISCOUNT_ID'],
    discovers: (body) => (body?.data?.id ? { promoCodeId: String(body.data.id) } : {}),
  },
  '4.5': {
    needs: ['promoCodeId'],
    requests: (ids) => [rest('PUT', `/promo-codes/${segment('promoCodeId', ids.promoCodeId)}`, { data: { max_uses_count: 2, active_to: '2026-01-31T23:59:59+03:00' } })],
    contract: 'promoCodes.one',
    expect: okJson([{ text: 'max_uses_count is 2', check: (body) => (body?.data?.max_uses_count === 2 ? null : `max_uses_count is ${body?.data?.max_uses_count}`) }]),
    expectedText: '200 PromoCode updated (never observed live)',
    sandbox: ['SANDBOX_PROMO_CODE_ID'],
  },
};
