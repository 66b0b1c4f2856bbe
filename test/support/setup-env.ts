// Every e2e and browser test starts from the same quiet, non-demo environment.
process.env.NODE_ENV = 'test';
process.env.LOG_LEVEL ??= 'silent';
process.env.DEMO_SEED = 'false';
// Tests log in far more often from one address than a person does; the limit has its own test.
process.env.LOGIN_RATE_LIMIT_PER_MINUTE ??= '100000';
delete process.env.DATABASE_URL;
