import { Inject, Injectable } from '@nestjs/common';
import { type DatabaseConfig, databaseConfig } from '../config/app.config';
import { GroupCommit, type ItemResult } from './group-commit';

/** What readiness needs to know of one group commit. */
export interface CommitQueueProgress {
  name: string;
  progress: GroupCommit<unknown, unknown>['progress'];
}

/**
 * Creates the group commits of the features (decisions, write-back outcomes) with the configured
 * bound on waiting items, and keeps them so readiness can see whether the database keeps up.
 */
@Injectable()
export class CommitQueues {
  private readonly queues: CommitQueueProgress[] = [];

  constructor(@Inject(databaseConfig.KEY) private readonly db: DatabaseConfig) {}

  create<T, R>(
    name: string,
    commit: (items: T[]) => Promise<ItemResult<R>[]>,
    options: { maxBatch: number; concurrency: number },
  ): GroupCommit<T, R> {
    const queue = new GroupCommit(commit, { ...options, maxWaiting: this.db.commitQueueMax });
    this.queues.push({ name, progress: () => queue.progress() });
    return queue;
  }

  all(): readonly CommitQueueProgress[] {
    return this.queues;
  }
}
