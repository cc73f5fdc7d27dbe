import { errorLine } from "../logger.ts";
import type { Logger } from "../types.ts";
import { combinedLine, commonLine, jsonFields, type LogFormat } from "./formats.ts";
import { fileSink, type LogSink, stdoutSink } from "./log-sink.ts";
import type { RequestRecord } from "./record.ts";

export interface AccessLogOptions {
  /** Append to this file; standard output when absent. */
  file?: string;
  /**
   * `combined` (Apache/nginx, plus `rt=` and `pid=`), `common`, or `json` (one object per line).
   * @default "combined"
   */
  format?: LogFormat;
  /** Where a failing write is reported (once, until the log works again). */
  logger: Logger;
}

/** One line per request, to a file or stdout. */
export interface AccessLog {
  write(record: RequestRecord): void;
  /** Open the file again at its path: what SIGUSR1 does after logrotate moved it. */
  reopen(): void;
  /** Write what is queued and close the file. */
  close(): void;
}

export async function createAccessLog(options: AccessLogOptions): Promise<AccessLog> {
  const { file, logger } = options;
  let failing = false;
  const onError = (error: Error) => {
    if (failing) return;
    failing = true;
    logger.error(
      `writing the access log ${file ?? "to stdout"} failed: ${errorLine(error)}; lines are dropped`,
    );
  };
  const sink: LogSink = file ? fileSink(file, onError) : stdoutSink(onError);
  const format = options.format ?? "combined";
  const write =
    format === "json"
      ? await jsonWriter(sink)
      : format === "common"
        ? (record: RequestRecord) => writeAscii(sink, `${commonLine(record)}\n`)
        : (record: RequestRecord) => writeAscii(sink, `${combinedLine(record)}\n`);
  return {
    write,
    reopen() {
      failing = false;
      sink.reopen();
    },
    close: () => sink.close(),
  };
}

/** A combined or common line is ASCII by construction (escapeField): its length is its size in bytes. */
function writeAscii(sink: LogSink, line: string): void {
  sink.write(line, line.length);
}

/** JSON lines through pino (loaded only for this format): fast, and every string escaped. */
async function jsonWriter(sink: LogSink): Promise<(record: RequestRecord) => void> {
  const { pino } = await import("pino");
  const logger = pino(
    {
      base: { pid: process.pid },
      timestamp: pino.stdTimeFunctions.isoTime,
      formatters: { level: (label) => ({ level: label }) },
    },
    { write: (line: string) => sink.write(line) },
  );
  return (record) =>
    logger.info(
      jsonFields(record),
      `${record.target ? `${record.method} ${record.target}` : "-"} ${record.status}`,
    );
}
