/**
 * Every message the semantic checks give, in English as the loader reports them. The policy pages
 * translate each (presentation/validator-messages.ts); a test produces every one from a crafted
 * policy, so a message added here without a case or a translation fails there.
 */
export const SEMANTIC_MESSAGES = {
  duplicateRuleName: (name: string, earlier: number) =>
    `"${name}" is already the name of /rules/${earlier}`,
  unknownEventType: (types: readonly string[]) => `must be one of ${types.join(', ')}`,
  unknownParameter: (name: string) => `no parameter named "${name}" in /parameters`,
  duplicateNoticeCode: (code: string) => `"${code}" is used twice`,
  listOperatorOnSingleValue: (operator: string, fact: string) =>
    `${operator} needs a list, and ${fact} is a single value`,
  trueFalseComparison: (fact: string, unit: string) =>
    `true/false can only be compared with equal or notEqual to a true/false fact; ${fact} is measured in ${unit}`,
  listOfWrongKind: (
    operator: string,
    fact: string,
    unit: string,
    listUnit: string | undefined,
    name: string,
    parameterUnit: string,
  ) =>
    `${operator} compares ${fact} (${unit}) with a list of ${listUnit ?? 'matching values'}; "${name}" is in ${parameterUnit}`,
  dateWithParameter: (fact: string) => `${fact} is a date; compare it only with another date fact`,
  needsListParameter: (fact: string, unit: string) =>
    `${fact} is measured in ${unit}; use in / notIn with a list parameter`,
  parameterUnitMismatch: (fact: string, unit: string, name: string, parameterUnit: string) =>
    `${fact} is measured in ${unit} but "${name}" is in ${parameterUnit}`,
  listOperatorWithFact: (operator: string, otherFact: string) =>
    `${operator} needs a list parameter, and ${otherFact} is a single value`,
  cannotOrder: (operator: string, fact: string, unit: string) =>
    `${operator} cannot order ${fact} (${unit})`,
  factUnitMismatch: (fact: string, unit: string, otherFact: string, otherUnit: string) =>
    `${fact} is measured in ${unit} but ${otherFact} in ${otherUnit}`,
  shortestAboveLongest: (maxDays: number) => `must not be more than maxDeferralDays (${maxDays})`,
} as const;

export type SemanticMessage = keyof typeof SEMANTIC_MESSAGES;
