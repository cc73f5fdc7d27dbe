/** The JSON every error response carries: a stable code, a sentence for humans, the bad field if any. */
export interface ErrorBody {
  error: string;
  message: string;
  field?: string;
}

/** A client mistake a handler throws; the router turns it into a JSON error response. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: { field?: string; headers?: Record<string, string> } = {},
  ) {
    super(message);
  }

  toResponse(): Response {
    const body: ErrorBody = { error: this.code, message: this.message };
    if (this.details.field !== undefined) body.field = this.details.field;
    return Response.json(body, { status: this.status, headers: this.details.headers });
  }
}

/** 400 for a value the client sent in the wrong shape, naming where it was. */
export function invalid(field: string, message: string, code = "invalid_field"): HttpError {
  return new HttpError(400, code, message, { field });
}
