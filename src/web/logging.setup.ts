import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { LoggerModule } from 'nestjs-pino';
import { type AppConfig, appConfig } from '../config/app.config';
import { redactIdentityNumbers } from '../shared/national-identity-number';
import { prettyLogDestination } from './pretty-log';

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * Structured JSON logs (pino) with a request id on every line; the id comes from a trusted proxy's
 * X-Request-Id when it looks like one and is echoed back. Cookies, tokens and form bodies are never
 * logged, so neither are personal identity numbers. LOG_FORMAT=pretty (what `npm start` sets)
 * writes the same entries as one line of plain text each.
 */
export const loggingModule = LoggerModule.forRootAsync({
  inject: [appConfig.KEY],
  useFactory: (config: AppConfig) => ({
    // `configureWeb` mounts pino-http itself, ahead of the session and CSRF layers; the module
    // only binds each request's logger for the log lines written while handling it.
    useExisting: true,
    pinoHttp: {
      level: config.logLevel,
      stream: config.logFormat === 'pretty' ? prettyLogDestination() : undefined,
      genReqId: (req: IncomingMessage, res: ServerResponse) => {
        const incoming = req.headers['x-request-id'];
        const id =
          typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('X-Request-Id', id);
        return id;
      },
      redact: {
        paths: [
          'req.headers.cookie',
          'req.headers.authorization',
          'res.headers["set-cookie"]',
          'req.query',
        ],
        remove: true,
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          // A path never needs an identity number to be useful, and one typed into a URL must not be kept.
          path: redactIdentityNumbers(req.url.split('?')[0]),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: {
        ignore: (req: IncomingMessage) => /^\/(health|static)\//.test(req.url ?? ''),
      },
      customLogLevel: (_req, res, err) =>
        err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
    },
  }),
});
