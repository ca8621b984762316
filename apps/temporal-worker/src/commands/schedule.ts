import { parseArgs } from 'node:util';
import { createSchedule, deleteSchedule, listSchedules } from '../client.js';
import { intArg, targetArg, UsageError } from './args.js';
import { withClient } from './connect.js';

/** `schedule create|list|delete`: incremental syncs, every N minutes the last window plus an overlap. */
export async function runSchedule(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      id: { type: 'string', default: 'incremental-sync' },
      every: { type: 'string', default: '15' },
      overlap: { type: 'string', default: '5' },
      target: { type: 'string' },
      concurrency: { type: 'string' },
      'page-size': { type: 'string' },
      json: { type: 'boolean', default: false },
    },
  });
  const [action, ...extra] = positionals;
  if (extra.length) throw new UsageError(`unexpected arguments: ${extra.join(' ')}`);
  return withClient(async (c) => {
    switch (action) {
      case 'create': {
        const everyMinutes = intArg('every', values.every, 1, 24 * 60)!;
        const overlapMinutes = intArg('overlap', values.overlap, 0, 24 * 60)!;
        const concurrency = intArg('concurrency', values.concurrency, 1, 100);
        const pageSize = intArg('page-size', values['page-size'], 100, 1000);
        await createSchedule(c, {
          scheduleId: values.id,
          everyMinutes,
          overlapMinutes,
          targets: targetArg(values.target),
          ...(concurrency ? { concurrency } : {}),
          ...(pageSize ? { pageSize } : {}),
        });
        console.log(
          `Schedule ${values.id}: every ${everyMinutes} min, a back-fill of the last ${everyMinutes + overlapMinutes} min`,
        );
        return 0;
      }
      case 'list': {
        const schedules = await listSchedules(c);
        if (values.json) console.log(JSON.stringify(schedules));
        else if (schedules.length === 0) console.log('No schedules');
        else
          for (const s of schedules)
            console.log(
              `${s.scheduleId}: ${s.workflowType ?? '?'} every ${s.everyMinutes ?? '?'} min${s.paused ? ' (paused)' : ''}, next ${s.nextRuns[0] ?? '-'}`,
            );
        return 0;
      }
      case 'delete':
        await deleteSchedule(c, values.id);
        console.log(`Schedule ${values.id} deleted`);
        return 0;
      default:
        throw new UsageError('usage: schedule create|list|delete');
    }
  });
}
