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
import { SEMANTIC_MESSAGES as M } from './semantic-messages';

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
        message: M.duplicateRuleName(rule.name, earlier),
      });
    else firstRuleNamed.set(rule.name, index);
    if (!(EVENT_TYPES as readonly string[]).includes(rule.event.type)) {
      errors.push({
        path: `${at}/event/type`,
        message: M.unknownEventType(EVENT_TYPES),
      });
    }
    const named = rule.event.params.parameter;
    if (named !== undefined && !Object.hasOwn(policy.parameters, named)) {
      errors.push({
        path: `${at}/event/params/parameter`,
        message: M.unknownParameter(named),
      });
    }
    checkCondition(policy, rule.conditions, `${at}/conditions`, errors);
  });
  errors.push(...windowErrors(policy));
  const noticeCodes = new Set<string>();
  policy.notices.forEach((notice, index) => {
    if (noticeCodes.has(notice.code))
      errors.push({ path: `/notices/${index}/code`, message: M.duplicateNoticeCode(notice.code) });
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
      message: M.listOperatorOnSingleValue(operator, fact),
    });
    return undefined;
  }
  if (typeof value === 'boolean') {
    return unit === 'boolean' && isEquality(operator)
      ? undefined
      : M.trueFalseComparison(fact, unit);
  }
  if (isParameterReference(value)) {
    const name = parameterName(value);
    // hasOwn: a name like "constructor" must not find Object.prototype's.
    if (!Object.hasOwn(policy.parameters, name)) return M.unknownParameter(name);
    const parameter = policy.parameters[name];
    if (operator === 'in' || operator === 'notIn') {
      return LIST_UNIT[unit] === parameter.unit
        ? undefined
        : M.listOfWrongKind(operator, fact, unit, LIST_UNIT[unit], name, parameter.unit);
    }
    if (unit === 'date') return M.dateWithParameter(fact);
    if (!NUMBER_UNITS.includes(unit)) return M.needsListParameter(fact, unit);
    return parameter.unit === unit
      ? undefined
      : M.parameterUnitMismatch(fact, unit, name, parameter.unit);
  }
  const otherUnit = FACT_UNITS[value.fact];
  if (operator === 'in' || operator === 'notIn')
    return M.listOperatorWithFact(operator, value.fact);
  if (ORDERING.includes(operator) && !NUMBER_UNITS.includes(unit) && unit !== 'date')
    return M.cannotOrder(operator, fact, unit);
  return otherUnit === unit ? undefined : M.factUnitMismatch(fact, unit, value.fact, otherUnit);
}

/**
 * The deferral form offers new due dates from due date + minDeferralDays to due date +
 * maxDeferralDays; with the shortest longer than the longest it has none to offer, to anyone.
 */
function windowErrors({ parameters: p }: Policy): PolicyError[] {
  if (p.minDeferralDays.value <= p.maxDeferralDays.value) return [];
  return [
    {
      path: '/parameters/minDeferralDays/value',
      message: M.shortestAboveLongest(p.maxDeferralDays.value),
    },
  ];
}

function isEquality(operator: Operator): boolean {
  return operator === 'equal' || operator === 'notEqual';
}
