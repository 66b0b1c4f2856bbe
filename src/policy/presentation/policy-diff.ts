import { canonicalJson } from '../../shared/canonical-json';
import type { Language, Policy, PolicyRule } from '../policy.types';
import { type DescribedParameter, describePolicy, type RuleDescription } from './describe-policy';

export type Change = 'added' | 'removed' | 'changed';

export interface ParameterDifference {
  /** The parameter's name in the policy file, e.g. `maxAmountOre`. */
  readonly name: string;
  readonly label: string;
  readonly change: Change;
  /** Formatted as the policy pages show values (`10 000 kr`, `30 dager`); absent when added. */
  readonly before?: string;
  /** Absent when removed. */
  readonly after?: string;
  /** The parameter's own description on both sides, when that is what changed (too). */
  readonly description?: { readonly before: string; readonly after: string };
}

/** One part of a changed rule, by its path in the rule's JSON (`conditions`, `event.params.text`). */
export interface RulePartDifference {
  readonly path: string;
  /** The part's JSON, indented; absent on the side that does not have it. */
  readonly before?: string;
  readonly after?: string;
}

export interface RuleDifference {
  readonly name: string;
  readonly change: Change;
  /** The rule as the policy pages say it, in the version before and after (one side when added/removed). */
  readonly before?: RuleDescription;
  readonly after?: RuleDescription;
  /** For a changed rule: the parts that differ. */
  readonly parts: readonly RulePartDifference[];
  /** For an added or removed rule: its whole JSON. */
  readonly json?: string;
}

/** Anything else in the file: its id, version label, title, description, or a notice (by code). */
export interface OtherDifference {
  readonly what: 'id' | 'version' | 'title' | 'description' | 'notice';
  /** The notice's code. */
  readonly key?: string;
  readonly change: Change;
  readonly before?: string;
  readonly after?: string;
}

export interface PolicyDiff {
  /** No version came before: nothing to compare with. */
  readonly first: boolean;
  /** Both versions decide and read alike (the lists are empty). */
  readonly same: boolean;
  readonly parameters: readonly ParameterDifference[];
  readonly rules: readonly RuleDifference[];
  readonly other: readonly OtherDifference[];
}

const pretty = (value: unknown) => JSON.stringify(value, null, 2);
const same = (a: unknown, b: unknown) => canonicalJson(a) === canonicalJson(b);

/**
 * What changed from one version of a policy to the next, for people: parameters by name with
 * their values formatted, rules by name (a changed one with its sentence on both sides and the
 * JSON of each part that differs), and the rest of the file. Rules are matched by name, so a
 * parameter's new value changes the sentences that use it but not the rule: the parameter is the
 * change. Layout and key order are never differences (compared as canonical JSON).
 */
export function diffPolicies(
  before: Policy | undefined,
  after: Policy,
  lang: Language,
): PolicyDiff {
  if (!before) return { first: true, same: false, parameters: [], rules: [], other: [] };
  const parameters = diffParameters(before, after, lang);
  const rules = diffRules(before, after, lang);
  const other = diffOther(before, after, lang);
  return {
    first: false,
    same: parameters.length + rules.length + other.length === 0,
    parameters,
    rules,
    other,
  };
}

function diffParameters(before: Policy, after: Policy, lang: Language): ParameterDifference[] {
  const described = (policy: Policy) =>
    new Map(describePolicy(policy, lang).parameters.map((p) => [p.name, p]));
  const was = described(before);
  const is = described(after);
  const names = union(Object.keys(before.parameters), Object.keys(after.parameters));
  return names.flatMap((name): ParameterDifference[] => {
    const old = was.get(name);
    const now = is.get(name);
    if (!old) return [{ name, label: now!.label, change: 'added', after: now!.value }];
    if (!now) return [{ name, label: old.label, change: 'removed', before: old.value }];
    if (same(before.parameters[name], after.parameters[name])) return [];
    return [changedParameter(old, now, before, after)];
  });
}

function changedParameter(
  old: DescribedParameter,
  now: DescribedParameter,
  before: Policy,
  after: Policy,
): ParameterDifference {
  const { description: was } = before.parameters[old.name];
  const { description: is } = after.parameters[now.name];
  return {
    name: now.name,
    label: now.label,
    change: 'changed',
    before: old.value,
    after: now.value,
    ...(was !== is ? { description: { before: was, after: is } } : {}),
  };
}

function diffRules(before: Policy, after: Policy, lang: Language): RuleDifference[] {
  const byName = (policy: Policy) => new Map(policy.rules.map((r) => [r.name, r]));
  const sentences = (policy: Policy) =>
    new Map(describePolicy(policy, lang).rules.map((r) => [r.name, r]));
  const [was, is] = [byName(before), byName(after)];
  const [said, says] = [sentences(before), sentences(after)];
  // In the new version's order, then the removed ones in the old version's.
  const names = union(
    after.rules.map((r) => r.name),
    before.rules.map((r) => r.name),
  );
  return names.flatMap((name): RuleDifference[] => {
    const old = was.get(name);
    const now = is.get(name);
    if (!old)
      return [{ name, change: 'added', after: says.get(name), parts: [], json: pretty(now) }];
    if (!now)
      return [{ name, change: 'removed', before: said.get(name), parts: [], json: pretty(old) }];
    const parts = ruleParts(old, now);
    if (parts.length === 0) return [];
    return [{ name, change: 'changed', before: said.get(name), after: says.get(name), parts }];
  });
}

/** The parts of a rule compared one by one: its own fields, the event's type, each event parameter. */
function ruleParts(old: PolicyRule, now: PolicyRule): RulePartDifference[] {
  const paths: string[][] = [['priority'], ['conditions'], ['event', 'type']];
  for (const key of union(Object.keys(old.event.params ?? {}), Object.keys(now.event.params ?? {})))
    paths.push(['event', 'params', key]);
  for (const key of union(Object.keys(old), Object.keys(now)))
    if (!['name', 'priority', 'conditions', 'event'].includes(key)) paths.push([key]);
  for (const key of union(Object.keys(old.event), Object.keys(now.event)))
    if (!['type', 'params'].includes(key)) paths.push(['event', key]);
  return paths.flatMap((path) => {
    const was = at(old, path);
    const is = at(now, path);
    if (same(was, is)) return [];
    return [
      {
        path: path.join('.'),
        ...(was === undefined ? {} : { before: pretty(was) }),
        ...(is === undefined ? {} : { after: pretty(is) }),
      },
    ];
  });
}

function diffOther(before: Policy, after: Policy, lang: Language): OtherDifference[] {
  const differences: OtherDifference[] = [];
  const compare = (what: OtherDifference['what'], was: string, is: string) => {
    if (was !== is) differences.push({ what, change: 'changed', before: was, after: is });
  };
  compare('id', before.id, after.id);
  compare('version', before.version, after.version);
  if (!same(before.title, after.title)) {
    // The page's language when the change is there; else the change is in another: all of them.
    const inLang = before.title?.[lang] !== after.title?.[lang];
    compare(
      'title',
      inLang ? (before.title?.[lang] ?? '') : pretty(before.title),
      inLang ? (after.title?.[lang] ?? '') : pretty(after.title),
    );
  }
  compare('description', before.description, after.description);
  const was = new Map(before.notices.map((n) => [n.code, n]));
  const is = new Map(after.notices.map((n) => [n.code, n]));
  for (const code of union([...is.keys()], [...was.keys()])) {
    const old = was.get(code);
    const now = is.get(code);
    if (old && now && same(old, now)) continue;
    differences.push({
      what: 'notice',
      key: code,
      change: !old ? 'added' : !now ? 'removed' : 'changed',
      ...(old ? { before: pretty(old) } : {}),
      ...(now ? { after: pretty(now) } : {}),
    });
  }
  return differences;
}

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || typeof current !== 'object' || !Object.hasOwn(current, key))
      return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/** Every name of `first`, then those only in `second`, each once. */
function union(first: readonly string[], second: readonly string[]): string[] {
  return [...new Set([...first, ...second])];
}
