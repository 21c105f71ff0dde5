// A Prometheus source usable from the browser and Node: connection test, discovery, range reads in
// chunks stitched into one MetricFrame, node_exporter presets, and errors that say what to do.
//
//   const prom = new PrometheusClient({ baseUrl, auth, headers: { 'X-Scope-OrgID': 't1' } });
//   await prom.buildInfo({ signal });                     // test the connection
//   await prom.metricNames(); await prom.series(['{job="node"}']);
//   const frame = await prom.rangeFrame(nodeExporterPresets({ stepMs }), { start, end, stepMs, signal });
//
// Every failure is a PrometheusError with a `kind` (network, timeout, aborted, bad_data, execution,
// unavailable, unauthorized, forbidden, not_found, http, invalid_response, config).
export { PrometheusClient, queryName } from './client.ts';
export type { Auth, BuildInfo, CallOptions, ClientOptions, RangeOptions, RangeQuery } from './client.ts';
export { PrometheusError, type PrometheusErrorKind } from './errors.ts';
export { alignGrid, chooseStep, gridPoints, MAX_POINTS_PER_SERIES, NICE_STEPS, splitGrid, type Grid } from './step.ts';
export { nodeExporterPresets, rateWindow, type Preset, type PresetOptions } from './presets.ts';
