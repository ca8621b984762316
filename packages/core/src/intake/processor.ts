/**
 * Syncs what the intake accepted: takes the subjects whose burst of events is over (the inbox's
 * quiet period or maximum wait), reads each subject's current state once (the events are triggers,
 * not data), syncs that customer with the ledger, and marks the events processed. A subject is leased
 * while it syncs, so that two processes sharing the ledger never sync it at once; a failure to read
 * the source gives it back with a back-off.
 */
import { randomUUID } from 'node:crypto';
import type { SyncServices } from '../compose.js';
import type { Inbox, InboxBatch } from '../ledger/inbox.js';
import { DEFAULT_COALESCE_POLICY, parseSubjectKey } from '../sources/genesys/events/index.js';
import type { SourceCustomer } from '../sources/types.js';
import { customerKey } from '../sync/group.js';
import type { SyncLedger } from '../sync/plan.js';
import { asSyncError } from '../sync/plan.js';
import type { SyncResult } from '../sync/result.js';
import { syncCustomer } from '../sync/sync-customer.js';
import type { IntakeMetrics } from './metrics.js';

export interface ProcessorOptions {
  services: SyncServices;
  inbox: Inbox;
  ledger: SyncLedger;
  metrics: IntakeMetrics;
  /** Quiet period and maximum wait of a burst (default 2 s and 10 s). */
  quietMs?: number;
  maxWaitMs?: number;
  /** Subjects synced at once (default 8). */
  concurrency?: number;
  /**
   * How long a subject stays leased without a renewal (default 15 s): a sync renews it every third of
   * that, so a process that dies frees its subjects for another (or itself, restarted) that soon.
   */
  leaseMs?: number;
  /** Told each sync's result (the command line prints them). */
  onSynced?: (batch: InboxBatch, result: SyncResult) => void;
  /** Told a subject's failure (it is retried after a back-off). */
  onFailed?: (batch: InboxBatch, message: string) => void;
}

export interface Processor {
  /** Takes nothing new, finishes the syncs in flight. */
  stop(): Promise<void>;
}

/** How often the inbox is asked for due subjects when nothing said when the next one is due. */
const POLL_MS = 250;

export function startProcessor(options: ProcessorOptions): Processor {
  const { services, inbox, metrics } = options;
  const quietMs = options.quietMs ?? DEFAULT_COALESCE_POLICY.quietMs;
  const maxWaitMs = options.maxWaitMs ?? DEFAULT_COALESCE_POLICY.maxWaitMs;
  const concurrency = options.concurrency ?? 8;
  const leaseMs = options.leaseMs ?? 15_000;
  const owner = `intake-${randomUUID()}`;
  const targets = services.targets('all');
  const running = new Set<Promise<void>>();
  // One customer's syncs one at a time, in this process, even when two of their conversations end together.
  const customers = new Map<string, Promise<unknown>>();
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;

  async function readSubject(subjectKey: string): Promise<SourceCustomer> {
    const subject = parseSubjectKey(subjectKey);
    if (!subject) throw new Error(`the inbox holds an unknown subject "${subjectKey}"`);
    return subject.kind === 'conversation'
      ? services.genesys.customerFromConversation(subject.id)
      : services.genesys.customerFromContact(subject.id);
  }

  async function syncBatch(batch: InboxBatch): Promise<void> {
    const renewal = setInterval(() => {
      inbox
        .renew(batch.subjectKey, owner, { now: new Date().toISOString(), leaseMs })
        .catch((e: unknown) => options.onFailed?.(batch, `renewing its lease: ${(e as Error).message}`));
    }, leaseMs / 3);
    try {
      await syncLeased(batch);
    } finally {
      clearInterval(renewal);
    }
  }

  async function syncLeased(batch: InboxBatch): Promise<void> {
    let customer: SourceCustomer;
    try {
      customer = await readSubject(batch.subjectKey);
    } catch (e) {
      const message = asSyncError(e).message;
      options.onFailed?.(batch, message);
      const backOff = Math.min(60_000, 1000 * 2 ** Math.min(batch.attempts, 6));
      await inbox.release(batch.subjectKey, owner, {
        retryAt: new Date(Date.now() + backOff).toISOString(),
        error: message,
      });
      return;
    }
    const key = customerKey(customer);
    const before = customers.get(key) ?? Promise.resolve();
    const mine = before.then(() => syncCustomer(customer, targets, { ledger: options.ledger }));
    customers.set(
      key,
      mine.catch(() => undefined),
    );
    try {
      // A target's failure is in its result (and the ledger's retry list); only the ledger throws.
      const result = await mine;
      await inbox.complete(batch.subjectKey, batch.eventIds, owner);
      metrics.coalesced.inc({}, batch.eventIds.length);
      for (const t of result.targets) metrics.syncs.inc({ target: t.target, outcome: t.outcome });
      metrics.lag.observe(Math.max(0, (Date.now() - Date.parse(batch.newestEventTime)) / 1000));
      options.onSynced?.(batch, result);
    } catch (e) {
      options.onFailed?.(batch, (e as Error).message);
      await inbox.release(batch.subjectKey, owner, {
        retryAt: new Date(Date.now() + 5_000).toISOString(),
        error: (e as Error).message,
      });
    } finally {
      if (customers.get(key) === mine) customers.delete(key);
    }
  }

  async function tick(): Promise<void> {
    timer = undefined;
    if (stopped) return;
    const free = concurrency - running.size;
    if (free > 0) {
      try {
        const batches = await inbox.claimDue({
          now: new Date().toISOString(),
          quietMs,
          maxWaitMs,
          limit: free,
          leaseMs,
          owner,
        });
        for (const b of batches) {
          const p = syncBatch(b)
            .catch((e: unknown) => options.onFailed?.(b, (e as Error).message))
            .finally(() => {
              running.delete(p);
              schedule(0);
            });
          running.add(p);
        }
      } catch (e) {
        options.onFailed?.(
          {
            subjectKey: '(inbox)',
            eventIds: [],
            firstReceivedAt: '',
            lastReceivedAt: '',
            newestEventTime: '',
            attempts: 0,
            leaseUntil: '',
          },
          (e as Error).message,
        );
      }
    }
    schedule(POLL_MS);
  }

  function schedule(ms: number): void {
    if (stopped) return;
    if (timer) {
      if (ms > 0) return;
      clearTimeout(timer);
    }
    timer = setTimeout(() => void tick(), ms);
  }

  schedule(0);
  return {
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await Promise.allSettled([...running]);
    },
  };
}
