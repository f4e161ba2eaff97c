/** Synthetic identifiers: GB 11643-1999 resident IDs with correct check characters, CN mobile numbers. */
import { residentIdCheckChar } from '../../../protocol/subject';
import type { Prng } from './prng';

const PROVINCES = ['11', '12', '31', '32', '33', '37', '41', '44', '50', '51', '61'] as const;

/** A valid 18-character resident ID (region, birth date 1960-2004, sequence, check character). */
export function residentId(rng: Prng): string {
  const region = `${rng.pick(PROVINCES)}01${String(rng.range(1, 9)).padStart(2, '0')}`;
  const y = rng.range(1960, 2004);
  const m = rng.range(1, 12);
  const d = rng.range(1, 28);
  const body = `${region}${y}${String(m).padStart(2, '0')}${String(d).padStart(2, '0')}${String(rng.range(0, 999)).padStart(3, '0')}`;
  return body + residentIdCheckChar(body);
}

/** The same ID with a wrong check character (a typical data-entry defect). */
export function breakCheckChar(id: string): string {
  const right = id[17]!;
  const chars = '0123456789X';
  return id.slice(0, 17) + chars[(chars.indexOf(right) + 1) % chars.length]!;
}

/** A CN mobile number, 11 digits `1[3-9]XXXXXXXXX`. */
export function mobile(rng: Prng): string {
  let s = `1${rng.range(3, 9)}`;
  for (let i = 0; i < 9; i++) s += String(rng.int(10));
  return s;
}

const SURNAMES = ['王', '李', '张', '刘', '陈', '杨', '黄', '赵', '吴', '周'] as const;
const GIVEN = ['伟', '芳', '娜', '敏', '静', '磊', '洋', '艳', '勇', '军', '杰', '娟'] as const;

/** A plausible Chinese name. */
export function chineseName(rng: Prng): string {
  return rng.pick(SURNAMES) + rng.pick(GIVEN) + (rng.chance(0.5) ? rng.pick(GIVEN) : '');
}
