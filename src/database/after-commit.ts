import type { EntityManager, EventSubscriber, TransactionEventArgs } from '@mikro-orm/core';

/** Callbacks per transaction (or per EntityManager whose next flush will open one). */
const pending = new WeakMap<object, (() => void)[]>();
const subscribed = new WeakSet<object>();

const subscriber: EventSubscriber = {
  afterTransactionCommit({ transaction, em }: TransactionEventArgs) {
    for (const key of [transaction, em]) {
      const callbacks = key && pending.get(key);
      if (!callbacks) continue;
      pending.delete(key);
      for (const callback of callbacks) callback();
    }
  },
  afterTransactionRollback({ transaction, em }: TransactionEventArgs) {
    if (transaction) pending.delete(transaction);
    pending.delete(em);
  },
};

/**
 * Runs `callback` once the transaction `em` is in commits, or, outside a transaction, once its
 * next flush commits; never if it rolls back. For work that must not start before the rows it
 * needs are visible to other connections, such as waking a worker for a job just queued.
 */
export function afterCommit(em: EntityManager, callback: () => void): void {
  const events = em.getEventManager();
  if (!subscribed.has(events)) {
    events.registerSubscriber(subscriber);
    subscribed.add(events);
  }
  const key: object = em.getTransactionContext() ?? em;
  const callbacks = pending.get(key);
  if (callbacks) callbacks.push(callback);
  else pending.set(key, [callback]);
}

/**
 * For a transaction MikroORM does not run (the commit lane's): runs the callbacks registered for
 * its context `key` once it has committed, or drops them if it did not.
 */
export function settleAfterCommit(key: object, committed: boolean): void {
  const callbacks = pending.get(key);
  pending.delete(key);
  if (committed) for (const callback of callbacks ?? []) callback();
}
