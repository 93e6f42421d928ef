/**
 * EventBridge schedule expressions: rate(value unit) and the six-field cron(minutes hours
 * day-of-month month day-of-week year), evaluated in UTC as EventBridge evaluates them.
 */

export class ScheduleError extends Error {}

export interface Schedule {
  expression: string;
  /** The first time strictly after `after` (ms, UTC) when the schedule fires, or undefined if never. */
  next(after: number): number | undefined;
}

const MINUTE = 60_000;
const UNITS: Readonly<Record<string, number>> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };

export function parseSchedule(expression: string): Schedule {
  const trimmed = expression.trim();
  const rate = /^rate\((.*)\)$/.exec(trimmed);
  if (rate) return rateSchedule(trimmed, rate[1]!);
  const cron = /^cron\((.*)\)$/.exec(trimmed);
  if (cron) return cronSchedule(trimmed, cron[1]!);
  throw new ScheduleError(`${JSON.stringify(expression)} is not a schedule expression; use rate(5 minutes) or cron(0 12 * * ? *).`);
}

/** rate(1 minute), rate(5 minutes): fires every interval, counted from when the rule starts. */
function rateSchedule(expression: string, body: string): Schedule {
  const match = /^\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*$/.exec(body);
  if (!match) throw new ScheduleError(`${expression} is not valid; write rate(<number> <minute|minutes|hour|hours|day|days>).`);
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value < 1) throw new ScheduleError(`${expression} is not valid: the value must be 1 or more.`);
  // EventBridge wants the singular for 1 and the plural otherwise.
  if ((value === 1) !== !unit.endsWith('s')) {
    const singular = unit.replace(/s$/, '');
    const fixed = value === 1 ? `rate(1 ${singular})` : `rate(${value} ${singular}s)`;
    throw new ScheduleError(`${expression} is not valid: a value of 1 takes the singular unit, others the plural; write ${fixed}.`);
  }
  const interval = value * UNITS[unit.replace(/s$/, '')]!;
  let start: number | undefined;
  return {
    expression,
    next(after) {
      start ??= after;
      const elapsed = Math.max(0, after - start);
      return start + (Math.floor(elapsed / interval) + 1) * interval;
    },
  };
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

interface CronFields {
  minutes: Set<number>;
  hours: Set<number>;
  months: Set<number>;
  years: Set<number> | undefined;
  /** Day of month rules; undefined when the field is ?. */
  dayOfMonth: ((date: Date) => boolean) | undefined;
  /** Day of week rules (1 = Sunday ... 7 = Saturday); undefined when the field is ?. */
  dayOfWeek: ((date: Date) => boolean) | undefined;
}

function cronSchedule(expression: string, body: string): Schedule {
  const parts = body.trim().split(/\s+/);
  if (parts.length !== 6)
    throw new ScheduleError(
      `${expression} has ${parts.length} fields; EventBridge's cron has six: minutes hours day-of-month month day-of-week year.`,
    );
  const [minutes, hours, dom, month, dow, year] = parts as [string, string, string, string, string, string];
  if ((dom === '?') === (dow === '?')) {
    throw new ScheduleError(`${expression} is not valid: exactly one of day-of-month and day-of-week must be ?.`);
  }
  const fields: CronFields = {
    minutes: numberSet(minutes, 0, 59, [], 'minutes', expression),
    hours: numberSet(hours, 0, 23, [], 'hours', expression),
    months: numberSet(month, 1, 12, MONTHS, 'month', expression),
    years: year === '*' ? undefined : numberSet(year, 1970, 2199, [], 'year', expression),
    dayOfMonth: dom === '?' ? undefined : dayOfMonthRule(dom, expression),
    dayOfWeek: dow === '?' ? undefined : dayOfWeekRule(dow, expression),
  };
  return {
    expression,
    next(after) {
      // Whole minutes only; search minute by minute, skipping whole days and months that cannot match.
      let time = Math.floor(after / MINUTE) * MINUTE + MINUTE;
      const limit = after + 5 * 366 * 24 * 60 * MINUTE;
      while (time <= limit) {
        const date = new Date(time);
        if (fields.years && !fields.years.has(date.getUTCFullYear())) {
          time = Date.UTC(date.getUTCFullYear() + 1, 0, 1);
          continue;
        }
        if (!fields.months.has(date.getUTCMonth() + 1)) {
          time = Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 1);
          continue;
        }
        const dayMatches = fields.dayOfMonth ? fields.dayOfMonth(date) : fields.dayOfWeek!(date);
        if (!dayMatches) {
          time = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate() + 1);
          continue;
        }
        if (!fields.hours.has(date.getUTCHours())) {
          time = Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), date.getUTCDate(), date.getUTCHours() + 1);
          continue;
        }
        if (fields.minutes.has(date.getUTCMinutes())) return time;
        time += MINUTE;
      }
      return undefined;
    },
  };
}

/** Parses *, lists, ranges and steps of one field into the set of values it allows. */
function numberSet(field: string, min: number, max: number, names: string[], label: string, expression: string): Set<number> {
  const values = new Set<number>();
  const value = (text: string): number => {
    const named = names.indexOf(text.toUpperCase());
    const number = named >= 0 ? named + 1 : Number(text);
    if (!Number.isInteger(number) || number < min || number > max) {
      throw new ScheduleError(
        `${expression}: ${JSON.stringify(text)} is not a valid ${label} (${min} to ${max}${names.length ? ` or ${names[0]} to ${names.at(-1)}` : ''}).`,
      );
    }
    return number;
  };
  for (const item of field.split(',')) {
    const [range, stepText] = item.split('/');
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleError(`${expression}: ${JSON.stringify(item)} has an invalid step.`);
    let [from, to] = [min, max];
    if (range !== '*') {
      const [start, end] = range!.split('-');
      from = value(start!);
      to = end === undefined ? (stepText === undefined ? from : max) : value(end);
    }
    if (from > to) throw new ScheduleError(`${expression}: the range ${JSON.stringify(range)} of ${label} runs backwards.`);
    for (let number = from; number <= to; number += step) values.add(number);
  }
  return values;
}

function daysInMonth(date: Date): number {
  return new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth() + 1, 0)).getUTCDate();
}

/** Day of month: numbers, ranges and steps, L (the last day), and nW (the weekday nearest day n). */
function dayOfMonthRule(field: string, expression: string): (date: Date) => boolean {
  if (field === 'L') return (date) => date.getUTCDate() === daysInMonth(date);
  const weekday = /^(\d{1,2})W$/.exec(field);
  if (weekday) {
    const target = Number(weekday[1]);
    if (target < 1 || target > 31) throw new ScheduleError(`${expression}: ${field} names no day of the month.`);
    return (date) => {
      const last = daysInMonth(date);
      const day = Math.min(target, last);
      const weekdayOf = (d: number): number => new Date(Date.UTC(date.getUTCFullYear(), date.getUTCMonth(), d)).getUTCDay();
      let nearest = day;
      if (weekdayOf(day) === 6) nearest = day === 1 ? 3 : day - 1;
      else if (weekdayOf(day) === 0) nearest = day === last ? day - 2 : day + 1;
      return date.getUTCDate() === nearest;
    };
  }
  const days = numberSet(field, 1, 31, [], 'day of month', expression);
  return (date) => days.has(date.getUTCDate());
}

/** Day of week (1 = SUN ... 7 = SAT): lists, ranges, d#n (the nth d of the month) and dL (the last d). */
function dayOfWeekRule(field: string, expression: string): (date: Date) => boolean {
  const dayNumber = (text: string): number => {
    const named = DAYS.indexOf(text.toUpperCase());
    const number = named >= 0 ? named + 1 : Number(text);
    if (!Number.isInteger(number) || number < 1 || number > 7)
      throw new ScheduleError(`${expression}: ${JSON.stringify(text)} is not a day of the week (1 to 7 or SUN to SAT).`);
    return number;
  };
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth) {
    const day = dayNumber(nth[1]!);
    const occurrence = Number(nth[2]);
    return (date) => date.getUTCDay() + 1 === day && Math.ceil(date.getUTCDate() / 7) === occurrence;
  }
  const last = /^(\w+)L$/.exec(field);
  if (last) {
    const day = dayNumber(last[1]!);
    return (date) => date.getUTCDay() + 1 === day && date.getUTCDate() + 7 > daysInMonth(date);
  }
  const days = numberSet(field, 1, 7, DAYS, 'day of week', expression);
  return (date) => days.has(date.getUTCDay() + 1);
}
