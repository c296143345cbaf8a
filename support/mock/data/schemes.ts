/**
 * Venue layouts. A seat id is `<ZONE_ID>-<row>;<place>`; a general-admission zone is one seat `ZONE-1;1`
 * with a quantity. Zone ids come in the live styles: UPPER_SNAKE, slugs, and rows/places with Cyrillic
 * suffixes (`PARTERRE-10а;3`).
 */

export type SchemeKind = 'exhibition' | 'workshops' | 'hall' | 'chamber';

/** How a zone's `rows` appears in scheme_properties (all four forms occur live). */
type RowsForm = 'list' | 'object' | 'null' | 'absent';

export interface ZoneDef {
  id: string;
  name: string;
  admission: boolean;
  /** For admission zones: the usual capacity of the one seat. */
  capacity: number;
  /** 1-based zone number of the legacy Partners ids (`7-1;8`). */
  legacyNumber: number;
  offset: [number, number];
  width: number;
  height: number;
  rowsForm: RowsForm;
  spreadNull: boolean;
}

export interface SeatDef {
  ref: number;
  seatId: string;
  zone: number;
  row: string;
  place: string;
  admission: boolean;
  coords: [number, number];
  disabled: boolean;
  /** Quota holders (scheme_properties spread.users): such seats are not on open sale. */
  spreadUsers: string[] | null;
  priceLevel: number;
}

export interface SchemeTemplate {
  kind: SchemeKind;
  zones: ZoneDef[];
  seats: SeatDef[];
  bySeatId: Map<string, number>;
  width: number;
  height: number;
  /** Number of distinct price levels (one show price per level). */
  priceLevels: number;
  /** Price level of each zone row, for scheme_properties. */
  rowLevels: Map<string, number>;
}

/** The user id that holds quota seats live (spread.users). */
export const QUOTA_USER = '107610';
const SEAT_PITCH = 24;

interface ZoneSpec {
  id: string;
  name: string;
  rowsForm: RowsForm;
  spreadNull?: boolean;
  /** Admission zones: capacity and price level. */
  admission?: { capacity: number; level: number };
  /** Seated zones: row labels, places per row, price level per row. */
  rows?: { label: string; places: string[]; level: number }[];
}

const range = (from: number, to: number): string[] => Array.from({ length: to - from + 1 }, (_, i) => String(from + i));

function build(kind: SchemeKind, specs: ZoneSpec[], disabled: string[], quota: string[]): SchemeTemplate {
  const zones: ZoneDef[] = [];
  const seats: SeatDef[] = [];
  const rowLevels = new Map<string, number>();
  let top = 40;
  let levels = 0;
  specs.forEach((spec, zoneIndex) => {
    const rows = spec.rows ?? [];
    const widest = Math.max(1, ...rows.map((r) => r.places.length));
    const width = spec.admission ? 320 : widest * SEAT_PITCH + SEAT_PITCH;
    const height = spec.admission ? 120 : rows.length * SEAT_PITCH + SEAT_PITCH;
    const offset: [number, number] = [40, top];
    zones.push({
      id: spec.id,
      name: spec.name,
      admission: Boolean(spec.admission),
      capacity: spec.admission?.capacity ?? 1,
      legacyNumber: zoneIndex + 1,
      offset,
      width,
      height,
      rowsForm: spec.rowsForm,
      spreadNull: Boolean(spec.spreadNull),
    });
    if (spec.admission) {
      levels = Math.max(levels, spec.admission.level + 1);
      seats.push(seat(seats.length, spec.id, zoneIndex, '1', '1', true, [offset[0] + width / 2, offset[1] + height / 2], spec.admission.level));
    }
    rows.forEach((row, rowIndex) => {
      levels = Math.max(levels, row.level + 1);
      rowLevels.set(`${spec.id}|${row.label}`, row.level);
      row.places.forEach((place, placeIndex) => {
        const coords: [number, number] = [offset[0] + SEAT_PITCH * (placeIndex + 1), offset[1] + SEAT_PITCH * (rowIndex + 1)];
        seats.push(seat(seats.length, spec.id, zoneIndex, row.label, place, false, coords, row.level));
      });
    });
    top += height + 40;
  });
  const bySeatId = new Map(seats.map((s) => [s.seatId, s.ref]));
  for (const id of disabled) seats[bySeatId.get(id)!].disabled = true;
  for (const id of quota) seats[bySeatId.get(id)!].spreadUsers = [QUOTA_USER];
  return { kind, zones, seats, bySeatId, width: 40 + Math.max(...zones.map((z) => z.width)) + 40, height: top, priceLevels: levels, rowLevels };
}

function seat(ref: number, zone: string, zoneIndex: number, row: string, place: string, admission: boolean, coords: [number, number], level: number): SeatDef {
  return { ref, seatId: `${zone}-${row};${place}`, zone: zoneIndex, row, place, admission, coords, disabled: false, spreadUsers: null, priceLevel: level };
}

const admissionZone = (id: string, name: string, capacity: number, level: number, rowsForm: RowsForm = 'list'): ZoneSpec => ({ id, name, rowsForm, admission: { capacity, level } });

export const SCHEMES: Record<SchemeKind, SchemeTemplate> = {
  exhibition: build(
    'exhibition',
    [
      admissionZone('vzroslyj-bilet-v-budni', 'Взрослый билет (будни)', 400, 0),
      admissionZone('vzroslyj-bilet-v-vyhodnye', 'Взрослый билет (выходные)', 400, 1),
      admissionZone('detskij-bilet-v-budni', 'Детский билет (в будни)', 400, 2),
      admissionZone('detskij-bilet-v-vyhodnye', 'Детский билет (в выходные)', 400, 3),
    ],
    [],
    [],
  ),
  workshops: build(
    'workshops',
    [
      admissionZone('sdelaj-svoj-sobstvennyj-slajm', 'Сделай свой собственный слайм', 60, 0),
      admissionZone('svari-svoe-mylo', 'Свари своё мыло', 60, 0),
      admissionZone('3d-ruchka', '3D-ручка', 40, 1),
      admissionZone('bombochki-dlya-vanny', 'Бомбочки для ванны', 60, 0),
      admissionZone('lego-chasy', 'LEGO-часы', 40, 2),
    ],
    [],
    [],
  ),
  hall: build(
    'hall',
    [
      {
        id: 'CENTER_PARTERRE',
        name: 'Партер',
        rowsForm: 'object',
        rows: range(1, 22).map((label, i) => ({ label, places: range(1, 16), level: i < 7 ? 0 : i < 15 ? 1 : 2 })),
      },
      { id: 'CENTER_BALCONY', name: 'Балкон', rowsForm: 'object', rows: range(1, 4).map((label) => ({ label, places: range(1, 16), level: 3 })) },
      { ...admissionZone('FAN_ZONE', 'Танцпол', 300, 4, 'null'), spreadNull: true },
    ],
    ['CENTER_PARTERRE-1;1', 'CENTER_PARTERRE-1;2'],
    ['CENTER_PARTERRE-15;8', 'CENTER_PARTERRE-15;9', 'CENTER_PARTERRE-16;8', 'CENTER_PARTERRE-16;9'],
  ),
  chamber: build(
    'chamber',
    [
      {
        id: 'PARTERRE',
        name: 'Партер',
        rowsForm: 'object',
        rows: [...range(1, 10), '10а'].map((label, i) => ({ label, places: label === '5' ? [...range(1, 12), '12а'] : range(1, 12), level: i < 5 ? 0 : 1 })),
      },
      { id: 'RIGHT_PARTERRE', name: 'Правый партер', rowsForm: 'object', rows: range(1, 6).map((label) => ({ label, places: range(1, 8), level: 2 })) },
      admissionZone('vip-lozha', 'VIP-ложа', 12, 3, 'absent'),
    ],
    ['PARTERRE-1;1'],
    ['RIGHT_PARTERRE-1;1', 'RIGHT_PARTERRE-1;2'],
  ),
};

/**
 * `scheme_properties` of a show: every leaf a string ("0", "1", "" or an id), in the live layouts
 * (admin.zones, zones with rows as an object, a list, null or absent, and seats for special seats).
 */
export function schemeProperties(scheme: SchemeTemplate, priceIds: number[]): Record<string, unknown> {
  const admin: Record<string, unknown> = {};
  const zones: Record<string, unknown> = {};
  const seats: Record<string, unknown> = {};
  scheme.zones.forEach((zone, zoneIndex) => {
    const zoneSeats = scheme.seats.filter((s) => s.zone === zoneIndex);
    if (zone.admission) {
      admin[zone.id] = { opened: '0', was_opened: '1', rows: { '1': { was_opened: '1' } } };
      const props: Record<string, unknown> = { disabled: '0', spread: zone.spreadNull ? null : { enabled: '' }, price_id: String(priceIds[zoneSeats[0].priceLevel]) };
      if (zone.rowsForm === 'list') props.rows = [''];
      if (zone.rowsForm === 'null') props.rows = null;
      zones[zone.id] = props;
      seats[zoneSeats[0].seatId] = { max_quantity: '', hot: '', show_free_quantity: '' };
      return;
    }
    const rowLabels = [...new Set(zoneSeats.map((s) => s.row))];
    admin[zone.id] = zoneIndex === 0 ? { opened: '0', was_opened: '1', rows: Object.fromEntries(rowLabels.map((r) => [r, { opened: '0' }])) } : { opened: '0' };
    zones[zone.id] = {
      disabled: '1',
      price_id: '',
      ...(zoneIndex === 0 ? { label: '' } : {}),
      rows: Object.fromEntries(rowLabels.map((r) => [r, { disabled: '0', price_id: String(priceIds[scheme.rowLevels.get(`${zone.id}|${r}`)!]) }])),
      spread: { enabled: '' },
    };
    for (const s of zoneSeats) {
      if (s.disabled) seats[s.seatId] = { disabled: '1' };
      else if (s.spreadUsers) seats[s.seatId] = { disabled: '0', spread: { users: [...s.spreadUsers], enabled: '1' } };
    }
  });
  return { admin: { zones: admin }, zones, seats };
}
