/** Grades from probability of default (issue 7 §4). */
import { GRADES, type Grade, type Policy } from './schema';

/** The best grade whose `maxPd` is >= pd (D always matches: its maxPd is 1). */
export function gradeOfPd(pd: number, policy: Policy): Grade {
  if (!(pd >= 0 && pd <= 1)) throw new RangeError(`pd ${pd} is not a probability`);
  return GRADES.find((g) => pd <= policy.grades[g].maxPd) ?? 'D';
}

/** The worse of two grades. */
export function worseGrade(a: Grade, b: Grade): Grade {
  return GRADES.indexOf(a) >= GRADES.indexOf(b) ? a : b;
}

/** True when grade `a` is at least as good as `b`. */
export function atLeast(a: Grade, b: Grade): boolean {
  return GRADES.indexOf(a) <= GRADES.indexOf(b);
}
