// Every e2e and browser test starts from the same quiet, non-demo environment.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.DEMO_SEED = 'false';
delete process.env.DATABASE_URL;
