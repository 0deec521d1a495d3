import type { Clock, Logger } from '@gradual/core';

/** Progress lines on stdout (`info` and up; `debug` too with `verbose`), stamped with the clock's time. */
export function createConsoleLogger(options: { clock: Clock; verbose?: boolean | undefined }): Logger {
  const line = (level: string, message: string, fields?: Record<string, unknown>) => {
    const where = typeof fields?.rollout === 'string' ? ` ${fields.rollout}` : '';
    const reason = typeof fields?.reason === 'string' ? ` ${fields.reason}:` : '';
    const at = new Date(options.clock.now()).toISOString().slice(11, 19);
    const text = `${at} ${level}${where}${reason} ${message}`;
    if (level === 'error' || level === 'warn') console.error(text);
    else console.log(text);
  };
  return {
    debug: (message, fields) => {
      if (options.verbose) line('debug', message, fields);
    },
    info: (message, fields) => line('info', message, fields),
    warn: (message, fields) => line('warn', message, fields),
    error: (message, fields) => line('error', message, fields),
  };
}
