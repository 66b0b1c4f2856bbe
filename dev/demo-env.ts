/**
 * `npm start`'s choices of environment, made before the portal's modules load: their configuration
 * writes its defaults (LOG_FORMAT=json among them) into process.env as it is imported.
 */
// One line of plain text per log entry for the person watching the terminal.
process.env.LOG_FORMAT ??= 'pretty';
