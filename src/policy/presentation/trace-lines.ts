import type { RuleTrace } from '../engine/decision';

type TraceNode = RuleTrace['conditions'];

export interface TraceLine {
  text: string;
  result: boolean | null;
  depth: number;
}

export interface TracedRule {
  name: string;
  fired: boolean;
  eventType: RuleTrace['eventType'];
  conditions: TraceLine[];
}

const show = (v: unknown) => (v === undefined ? '–' : JSON.stringify(v));

/** Each rule of a decision's trace with its conditions as lines, as the try and case pages show them. */
export function traceRules(trace: readonly RuleTrace[]): TracedRule[] {
  return trace.map((rule) => ({
    name: rule.name,
    fired: rule.fired,
    eventType: rule.eventType,
    conditions: traceLines(rule.conditions),
  }));
}

/** A rule's conditions as lines: each comparison with the values the engine saw, and its result. */
function traceLines(node: TraceNode, depth = 0): TraceLine[] {
  if (node.kind === 'fact') {
    const right = node.parameter
      ? `${node.parameter} = ${show(node.compareTo)}`
      : node.compareFact
        ? `${node.compareFact} = ${show(node.compareTo)}`
        : show(node.compareTo);
    return [
      {
        text: `${node.fact} = ${show(node.factValue)} ${node.operator} ${right}`,
        result: node.result,
        depth,
      },
    ];
  }
  return [
    { text: node.kind, result: node.result, depth },
    ...node.conditions.flatMap((c) => traceLines(c, depth + 1)),
  ];
}
