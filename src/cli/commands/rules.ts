// `aura rules`: Prometheus alerting rules over the aura_* metrics that `aura watch` exports, with the risk
// thresholds of the model card's alarm policy, as a rule file or a PrometheusRule manifest.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { numberFlag, parseCommand, type CommandSpec } from '../args.ts';
import { CliError } from '../errors.ts';
import { modelsDir } from '../../node/assets.ts';
import { DEFAULT_MODEL } from '../../node/predictor.ts';
import { alarmThreshold, type ModelCard } from '../../lib/lnn/card.ts';
import { DEFAULT_RULE_OPTIONS, prometheusRule, ruleFile, type RuleOptions } from '../../lib/export/rules.ts';

export const spec: CommandSpec = {
  summary: 'Prometheus alerting rules for the metrics of `aura watch` (risk thresholds from the model card)',
  usage: 'aura rules [--format rules|prometheusrule] [--for D] [--job NAME] [--stale S] [--model NAME]',
  file: false,
  options: {
    format: {
      type: 'string',
      arg: 'rules|prometheusrule',
      help: 'a plain rule file (default) or a PrometheusRule manifest',
    },
    for: {
      type: 'string',
      arg: 'D',
      help: `how long an entity alert must hold before it fires (default ${DEFAULT_RULE_OPTIONS.forDuration})`,
    },
    job: {
      type: 'string',
      arg: 'NAME',
      help: `the scrape job of the watch shards (default ${DEFAULT_RULE_OPTIONS.job})`,
    },
    stale: {
      type: 'string',
      arg: 'S',
      help: `seconds without a successful poll before AuraWatchStale (default ${DEFAULT_RULE_OPTIONS.staleSeconds})`,
    },
    model: {
      type: 'string',
      arg: 'NAME',
      help: `the model whose card sets the risk thresholds (default ${DEFAULT_MODEL})`,
    },
  },
  details: ['Check them with `promtool check rules FILE`; deploy/rules/ holds a copy and its promtool unit tests.'],
  examples: [
    'aura rules > aura.rules.yml',
    'aura rules --format prometheusrule | kubectl apply -f -',
    'aura rules --for 1m',
  ],
};

export async function run(args: string[]): Promise<number> {
  const { parsed } = parseCommand(spec, args);
  const format = (parsed.flags.get('format') as string | undefined) ?? 'rules';
  if (format !== 'rules' && format !== 'prometheusrule')
    throw new CliError(`--format must be rules or prometheusrule, got '${format}'`);
  const model = (parsed.flags.get('model') as string | undefined) ?? DEFAULT_MODEL;
  const cardPath = model.endsWith('.json') ? model : join(modelsDir, `${model}.json`);
  let card: ModelCard;
  try {
    card = JSON.parse(await readFile(cardPath, 'utf8')) as ModelCard;
  } catch (err) {
    throw new CliError(`cannot read the model card ${cardPath}: ${(err as Error).message.split('\n')[0]}`);
  }
  if (!Array.isArray(card.horizons)) throw new CliError(`${cardPath} is not a model card (no horizons)`);
  const opts: RuleOptions = {
    thresholds: Object.fromEntries(card.horizons.map((h) => [h.name, alarmThreshold(card, h.name)])),
    forDuration: (parsed.flags.get('for') as string | undefined) ?? DEFAULT_RULE_OPTIONS.forDuration,
    job: (parsed.flags.get('job') as string | undefined) ?? DEFAULT_RULE_OPTIONS.job,
    staleSeconds: numberFlag(parsed, 'stale', DEFAULT_RULE_OPTIONS.staleSeconds, { integer: true, min: 1 }),
  };
  try {
    process.stdout.write(format === 'rules' ? ruleFile(opts) : prometheusRule(opts));
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  return 0;
}
