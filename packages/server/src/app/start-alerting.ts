import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { sendText } from '../api/http-io.ts';
import { registerAlertmanagerRoutes } from '../api/alertmanager-routes.ts';
import { registerHygieneRoutes } from '../api/hygiene-routes.ts';
import { registerRuleRoutes } from '../api/prometheus/prom-rules-routes.ts';
import type { Router } from '../api/router.ts';
import { registerSloRoutes } from '../api/slo-routes.ts';
import type { VigilConfig } from '../config/vigil-config.ts';
import { PromQLEngine } from '../query/promql/engine.ts';
import { StoreSeriesSource } from '../query/promql/store-series-source.ts';
import { AlertHistory } from '../rules/hygiene/alert-history.ts';
import { RuleManager } from '../rules/manager/rule-manager.ts';
import { Notifier } from '../rules/notify/notifier.ts';
import { parseNotificationConfig } from '../rules/notify/parse-notify-config.ts';
import type { RuleGroupSpec } from '../rules/rule-types.ts';
import { loadRuleFiles } from '../rules/rulefmt/load-rule-files.ts';
import { formatRuleFileError } from '../rules/rulefmt/parse-rule-file.ts';
import { SloRegistry } from '../rules/slo/slo-registry.ts';
import { generateSloRuleGroups } from '../rules/slo/slo-rules.ts';
import { defaultGpuRuleGroupsBeside } from '../ml/gpu/default-gpu-rules.ts';
import type { Store } from '../storage/store.ts';

/**
 * Without an Alertmanager config, alerts still reach the built-in notifier (its /api/v2 API lists
 * them and silences apply) but go to no receiver — as an Alertmanager with only a null receiver.
 */
const NO_RECEIVERS_CONFIG = `route:\n  receiver: "null"\nreceivers:\n  - name: "null"\n`;

/** Rule evaluation, SLOs, notifications and alert history of one Vigil, and their API routes. */
export interface Alerting {
  registerRoutes(router: Router): void;
  /** Starts rule evaluation and notification timers (after the API is listening). */
  start(): void;
  /** Re-reads the rule files (POST /-/reload, SIGHUP); keeps the old rules when any file is broken. */
  reload(): Promise<void>;
  close(): Promise<void>;
}

export class AlertingConfigError extends Error {
  override readonly name = 'AlertingConfigError';
}

/**
 * Builds the alerting components from the config. Broken rule files or a broken notification
 * config stop start-up with every problem and its file:line, as Prometheus and Alertmanager do.
 */
export async function createAlerting(
  config: VigilConfig,
  store: Store,
  log: (line: string) => void,
): Promise<Alerting> {
  const dir = join(config.dataDir, 'alerting');
  const externalURL = config.alerting.externalUrl || `http://${config.api.host}:${config.api.port}`;
  let ruleFileGroups = await loadRules(config.alerting.ruleFiles, log);
  const notifier = new Notifier({
    config: await loadNotificationConfig(config.alerting.notificationConfigFile),
    externalURL,
    dataDir: dir,
    log,
  });
  const history = new AlertHistory({ dir, log });
  const engine = new PromQLEngine(new StoreSeriesSource(store));
  const manager = new RuleManager({
    engine,
    store,
    sinks: [notifier],
    history,
    evaluationIntervalMs: config.alerting.evaluationIntervalMs,
    externalLabels: config.alerting.externalLabels,
    externalURL,
    statePath: join(dir, 'alert-state.json'),
    log,
  });
  // The seed's GPU rules (memory > 90%, temperature > 85 °C, idle < 10%) unless `vigil.ml.gpu_rules: false`;
  // an alert a rule file defines itself is left out of them.
  const builtin = (): RuleGroupSpec[] =>
    config.ml.enabled && config.ml.gpuRules ? defaultGpuRuleGroupsBeside(ruleFileGroups) : [];
  const slos = await SloRegistry.open({
    configSlos: config.slos,
    dir,
    log,
    onChange: (specs) =>
      manager.setGroups([...ruleFileGroups, ...generateSloRuleGroups(specs), ...builtin()]),
  });
  // Rule files, SLOs and built-in groups together: a reload of either keeps the others' groups.
  const applyGroups = (): void => manager.setGroups([...ruleFileGroups, ...slos.ruleGroups(), ...builtin()]);
  applyGroups();
  const reload = async (): Promise<void> => {
    ruleFileGroups = await loadRules(config.alerting.ruleFiles, log);
    applyGroups();
  };
  return {
    registerRoutes: (router) => {
      registerRuleRoutes(router, manager);
      registerAlertmanagerRoutes(router, notifier);
      registerSloRoutes(router, { registry: slos, engine });
      registerHygieneRoutes(router, history);
      // Prometheus's reload endpoint: 200 when applied, 500 with the reason when a file is broken.
      router.post('/-/reload', 'plain', async ({ response }) => {
        try {
          await reload();
          sendText(response, 200, '', 'text/plain; charset=utf-8');
        } catch (error: unknown) {
          if (!(error instanceof AlertingConfigError)) throw error;
          sendText(response, 500, `failed to reload config: ${error.message}\n`, 'text/plain; charset=utf-8');
        }
      });
    },
    start: () => {
      notifier.start();
      manager.start();
    },
    reload,
    close: async () => {
      await manager.close();
      await notifier.close();
    },
  };
}

async function loadRules(patterns: readonly string[], log: (line: string) => void): Promise<RuleGroupSpec[]> {
  if (patterns.length === 0) return [];
  const loaded = await loadRuleFiles(patterns);
  for (const warning of loaded.warnings) log(`rules: warning: ${formatRuleFileError(warning)}`);
  if (loaded.errors.length > 0)
    throw new AlertingConfigError(
      `rule files have errors:\n${loaded.errors.map((error) => `  ${formatRuleFileError(error)}`).join('\n')}`,
    );
  const ruleCount = loaded.groups.reduce((sum, group) => sum + group.rules.length, 0);
  log(`rules: loaded ${ruleCount} rules in ${loaded.groups.length} groups from ${loaded.files.length} files`);
  return loaded.groups;
}

async function loadNotificationConfig(
  path: string | undefined,
): Promise<ReturnType<typeof parseNotificationConfig>> {
  if (path === undefined) return parseNotificationConfig(NO_RECEIVERS_CONFIG, 'built-in');
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error: unknown) {
    throw new AlertingConfigError(
      `cannot read notifications file ${path}: ${(error as NodeJS.ErrnoException).code ?? 'error'}`,
    );
  }
  return parseNotificationConfig(text, path);
}
