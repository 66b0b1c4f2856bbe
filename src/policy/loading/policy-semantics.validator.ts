import { FACT_UNITS, type FactUnit } from '../engine/facts';
import {
  type Condition,
  EVENT_TYPES,
  type FactCondition,
  isBooleanCondition,
  isParameterReference,
  type Operator,
  type Policy,
  type PolicyError,
  parameterName,
} from '../policy.types';

const NUMBER_UNITS: readonly FactUnit[] = ['ore', 'days', 'count'];
const ORDERING: readonly Operator[] = [
  'lessThan',
  'lessThanInclusive',
  'greaterThan',
  'greaterThanInclusive',
];
const LIST_UNIT: Partial<Record<FactUnit, string>> = {
  'invoice-status': 'invoice-statuses',
  'invoice-type': 'invoice-types',
};

/** What the JSON Schema cannot see: names that must agree across the file, and comparisons that make sense. */
export function semanticErrors(policy: Policy): PolicyError[] {
  const errors: PolicyError[] = [];
  const firstRuleNamed = new Map<string, number>();
  policy.rules.forEach((rule, index) => {
    const at = `/rules/${index}`;
    const earlier = firstRuleNamed.get(rule.name);
    if (earlier !== undefined)
      errors.push({
        path: `${at}/name`,
        message: `"${rule.name}" is already the name of /rules/${earlier}`,
      });
    else firstRuleNamed.set(rule.name, index);
    if (!(EVENT_TYPES as readonly string[]).includes(rule.event.type)) {
      errors.push({
        path: `${at}/event/type`,
        message: `must be one of ${EVENT_TYPES.join(', ')}`,
      });
    }
    const named = rule.event.params.parameter;
    if (named !== undefined && !Object.hasOwn(policy.parameters, named)) {
      errors.push({
        path: `${at}/event/params/parameter`,
        message: `no parameter named "${named}" in /parameters`,
      });
    }
    checkCondition(policy, rule.conditions, `${at}/conditions`, errors);
  });
  const noticeCodes = new Set<string>();
  policy.notices.forEach((notice, index) => {
    if (noticeCodes.has(notice.code))
      errors.push({ path: `/notices/${index}/code`, message: `"${notice.code}" is used twice` });
    noticeCodes.add(notice.code);
  });
  return errors;
}

function checkCondition(
  policy: Policy,
  condition: Condition,
  at: string,
  errors: PolicyError[],
): void {
  if ('all' in condition)
    condition.all.forEach((child, i) => checkCondition(policy, child, `${at}/all/${i}`, errors));
  else if ('any' in condition)
    condition.any.forEach((child, i) => checkCondition(policy, child, `${at}/any/${i}`, errors));
  else if ('not' in condition) checkCondition(policy, condition.not, `${at}/not`, errors);
  if (isBooleanCondition(condition)) return;
  const problem = comparisonProblem(policy, condition, at, errors);
  if (problem) errors.push({ path: `${at}/value`, message: problem });
}

function comparisonProblem(
  policy: Policy,
  condition: FactCondition,
  at: string,
  errors: PolicyError[],
): string | undefined {
  const { fact, operator, value } = condition;
  const unit = FACT_UNITS[fact];
  if (operator === 'contains' || operator === 'doesNotContain') {
    errors.push({
      path: `${at}/operator`,
      message: `${operator} needs a list, and ${fact} is a single value`,
    });
    return undefined;
  }
  if (typeof value === 'boolean') {
    return unit === 'boolean' && isEquality(operator)
      ? undefined
      : `true/false can only be compared with equal or notEqual to a true/false fact; ${fact} is measured in ${unit}`;
  }
  if (isParameterReference(value)) {
    const name = parameterName(value);
    // hasOwn: a name like "constructor" must not find Object.prototype's.
    if (!Object.hasOwn(policy.parameters, name))
      return `no parameter named "${name}" in /parameters`;
    const parameter = policy.parameters[name];
    if (operator === 'in' || operator === 'notIn') {
      return LIST_UNIT[unit] === parameter.unit
        ? undefined
        : `${operator} compares ${fact} (${unit}) with a list of ${LIST_UNIT[unit] ?? 'matching values'}; "${name}" is in ${parameter.unit}`;
    }
    if (unit === 'date') return `${fact} is a date; compare it only with another date fact`;
    if (!NUMBER_UNITS.includes(unit))
      return `${fact} is measured in ${unit}; use in / notIn with a list parameter`;
    return parameter.unit === unit
      ? undefined
      : `${fact} is measured in ${unit} but "${name}" is in ${parameter.unit}`;
  }
  const otherUnit = FACT_UNITS[value.fact];
  if (operator === 'in' || operator === 'notIn')
    return `${operator} needs a list parameter, and ${value.fact} is a single value`;
  if (ORDERING.includes(operator) && !NUMBER_UNITS.includes(unit) && unit !== 'date')
    return `${operator} cannot order ${fact} (${unit})`;
  return otherUnit === unit
    ? undefined
    : `${fact} is measured in ${unit} but ${value.fact} in ${otherUnit}`;
}

function isEquality(operator: Operator): boolean {
  return operator === 'equal' || operator === 'notEqual';
}
