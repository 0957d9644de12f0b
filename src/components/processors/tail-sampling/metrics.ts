/** The processor's own metrics, under the upstream names (reference/tail-sampling.md §6). */

export const METRIC_PREFIX = 'otelcol_processor_tail_sampling_';
export const METRICS = {
  countTracesSampled: `${METRIC_PREFIX}count_traces_sampled`,
  globalCountTracesSampled: `${METRIC_PREFIX}global_count_traces_sampled`,
  earlyReleasesFromCacheDecision: `${METRIC_PREFIX}early_releases_from_cache_decision`,
  newTraceIdReceived: `${METRIC_PREFIX}new_trace_id_received`,
  samplingTraceDroppedTooEarly: `${METRIC_PREFIX}sampling_trace_dropped_too_early`,
  samplingPolicyEvaluationError: `${METRIC_PREFIX}sampling_policy_evaluation_error`,
  samplingDecisionTimerLatency: `${METRIC_PREFIX}sampling_decision_timer_latency`,
  samplingDecisionLatency: `${METRIC_PREFIX}sampling_decision_latency`,
  samplingPolicyExecutionCount: `${METRIC_PREFIX}sampling_policy_execution_count`,
  samplingPolicyExecutionTimeSum: `${METRIC_PREFIX}sampling_policy_execution_time_sum`,
  samplingLateSpanAge: `${METRIC_PREFIX}sampling_late_span_age`,
  samplingTraceRemovalAge: `${METRIC_PREFIX}sampling_trace_removal_age`,
  samplingTracesOnMemory: `${METRIC_PREFIX}sampling_traces_on_memory`,
  tracesDroppedTooLarge: `${METRIC_PREFIX}traces_dropped_too_large`,
} as const;

/** The upstream metric `policy` attribute: `<processor name>.<policy>` when the id has a name. */
export function policyMetricName(componentId: string, policyName: string): string {
  const slash = componentId.indexOf('/');
  return slash >= 0 ? `${componentId.slice(slash + 1)}.${policyName}` : policyName;
}
